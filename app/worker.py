"""The RQ workers' entry point: build the app from the environment and run one job.

It lives at the package root, beside :func:`app.create_app`, so that the job runner
(:mod:`app.core.jobs`) never imports the factory: it enqueues this function by name.
"""

from __future__ import annotations

from app import create_app
from app.core.extensions import db
from app.core.jobs import run_job


def execute_queued(job_id: str) -> None:
    """Build the app (which registers every job kind) and run the job ``job_id``."""
    app = create_app()
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.close()
            for engine in db.engines.values():
                engine.dispose()
            app.extensions["usc_jobs"].shutdown(wait=False)
