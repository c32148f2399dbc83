"""`usc worker`: an RQ worker for the platform's jobs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the platform's jobs (needs REDIS_URL)."""
    from flask import current_app
    from redis import Redis
    from rq import Queue, Worker

    from app.core.jobs import QUEUE_NAME

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) first.")
    connection = Redis.from_url(url)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)
