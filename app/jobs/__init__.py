"""Jobs: their status pages, the self-test kind and `usc worker`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, job kinds and commands on ``app``."""
    from app.core.jobs import register_kind
    from app.jobs import cli, self_test, views

    app.register_blueprint(views.bp)
    register_kind(app, "self_test", self_test.self_test)
    app.cli.add_command(cli.worker_command)
