"""Jobs run outside the request: in process by default, on RQ workers with REDIS_URL."""

from __future__ import annotations

import os
import time

import pytest

from app.core.extensions import db
from app.core.jobs import submit
from app.models import Job, JobStatus
from tests.app.conftest import make_app, reset_schema


def wait_for(app, job_id: str, timeout: float = 20.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def test_in_process_job_reports_progress_and_result(app, client, login, make_user):
    make_user()
    login("staff@example.org")
    with app.app_context():
        job_id = submit("self_test", {"steps": 4, "result_url": "/cities"}, None, title="Self").id
    job = wait_for(app, job_id)
    assert job.status is JobStatus.DONE and job.result["steps"] == 4 and job.progress == 1.0
    assert job.result_url == "/cities"
    assert client.get(f"/jobs/{job_id}").headers["Location"] == "/cities"
    assert client.get(f"/jobs/{job_id}.json").get_json()["status"] == "done"


def test_failed_job_keeps_its_error(app):
    with app.app_context():
        job_id = submit("self_test", {"fail": True}, None).id
    job = wait_for(app, job_id)
    assert job.status is JobStatus.FAILED and job.error == "asked to fail"


def test_other_accounts_cannot_read_a_job(app, client, login, make_user, make_city):
    make_city()
    owner = make_user()
    make_user("city@example.org", "city", city_slug="karmoy-no")
    with app.app_context():
        job_id = submit("self_test", {}, owner).id
    wait_for(app, job_id)
    login("city@example.org")
    assert client.get(f"/jobs/{job_id}").status_code == 403


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="needs a Redis server: set TEST_REDIS_URL (CI sets it when 127.0.0.1:6379 answers)",
)
def test_jobs_run_on_rq_workers_when_redis_is_set(database_url, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from app.core.jobs import QUEUE_NAME

    redis_url = os.environ["TEST_REDIS_URL"]
    connection = Redis.from_url(redis_url)
    Queue(QUEUE_NAME, connection=connection).empty()
    app = make_app(database_url, REDIS_URL=redis_url)
    with app.app_context():
        reset_schema(db.engine)
        from app.models import Base

        Base.metadata.create_all(db.engine)
        job_id = submit("self_test", {"steps": 2}, None).id
        assert db.session.get(Job, job_id).status is JobStatus.QUEUED  # nobody ran it here
    monkeypatch.setenv("DATABASE_URL", database_url)  # the worker builds its own app
    queue = Queue(QUEUE_NAME, connection=connection)
    SimpleWorker([queue], connection=connection).work(burst=True)
    job = wait_for(app, job_id, timeout=5)
    assert job.status is JobStatus.DONE and job.result["steps"] == 2
    with app.app_context():
        reset_schema(db.engine)
        db.engine.dispose()
