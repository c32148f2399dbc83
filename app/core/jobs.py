"""Jobs: long work runs outside the request, with a status page.

By default jobs run in this process on a small thread pool (the embedded set-up needs
no other server). When REDIS_URL is set they are queued on Redis and RQ workers
(`usc worker`, on any machine sharing the database and Redis) run them.

A job kind is a function ``fn(params: dict, progress: Callable[[float, str], None])
-> dict``; each feature registers its kinds on the app with :func:`register_kind` when
the factory sets the feature up, so this runner imports no feature. Its result must be
JSON-serialisable; a ``"result_url"`` in the result becomes the job's link to what it
produced. RQ workers run :func:`app.worker.execute_queued`, which builds the app (and
so registers every kind) before calling :func:`run_job`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.models import Job, JobStatus, Role, User
from app.models.base import utcnow

JobFunction = Callable[[dict, Callable[[float, str], None]], dict]
QUEUE_NAME = "usc"
#: What RQ workers import and call with a job id (by name: this module never imports it).
WORKER_ENTRY = "app.worker.execute_queued"


def init_jobs(app: Flask) -> None:
    app.extensions["usc_jobs"] = ThreadPoolExecutor(
        max_workers=app.config.get("JOB_THREADS", 2), thread_name_prefix="usc-job"
    )
    app.extensions["usc_job_kinds"] = {}


def register_kind(app: Flask, name: str, fn: JobFunction) -> None:
    """Make ``fn`` the job kind ``name`` of this app (a feature calls this at set-up)."""
    kinds = app.extensions["usc_job_kinds"]
    if kinds.get(name, fn) is not fn:
        raise ValueError(f"job kind '{name}' is registered twice")
    kinds[name] = fn


def job_kinds() -> dict[str, JobFunction]:
    """The job kinds of the current app."""
    return current_app.extensions["usc_job_kinds"]


def submit(kind: str, params: dict, user: User | None, *, title: str = "") -> Job:
    """Record a job and hand it to the in-process pool or to the Redis queue."""
    if kind not in job_kinds():
        raise InvalidInput(f"Unknown job kind '{kind}'.")
    job = Job(kind=kind, params=params, title=title, user_id=user.id if user else None)
    db.session.add(job)
    db.session.commit()
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        _queue(redis_url).enqueue(WORKER_ENTRY, job.id, job_timeout=3600)
    else:
        app = current_app._get_current_object()
        app.extensions["usc_jobs"].submit(_run_in_app, app, job.id)
    return job


def get_job(user: User, job_id: str) -> Job:
    job = db.session.get(Job, job_id)
    if job is None:
        raise NotFound(f"There is no job {job_id}.")
    if user.role is not Role.STAFF and job.user_id != user.id:
        raise PermissionDenied("This job belongs to another account.")
    return job


def run_job(job_id: str) -> None:
    """Run one job in the current app context, recording progress, result or error."""
    job = db.session.get(Job, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    db.session.commit()

    def progress(fraction: float, message: str = "") -> None:
        job.progress = max(0.0, min(1.0, float(fraction)))
        job.message = message
        db.session.commit()

    try:
        job.result = job_kinds()[job.kind](dict(job.params), progress)
        if isinstance(job.result, dict) and job.result.get("result_url"):
            job.result_url = str(job.result["result_url"])
        job.status, job.progress = JobStatus.DONE, 1.0
        job.message = job.message or "Finished."
    except Exception as error:  # a job's failure is recorded, never lost
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status = JobStatus.FAILED
        job.error = str(error) or error.__class__.__name__
        current_app.logger.error("job %s failed:\n%s", job_id, traceback.format_exc())
    job.finished_at = utcnow()
    db.session.commit()


def _run_in_app(app: Flask, job_id: str) -> None:
    with app.app_context():
        run_job(job_id)


def _queue(redis_url: str):
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
