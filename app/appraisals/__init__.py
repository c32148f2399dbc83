"""Appraisals: runs of the EU-CBA engine on a project, kept and compared."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, job kinds and commands on ``app``."""
    from app.appraisals import cli, pipeline, service, views
    from app.core.jobs import register_kind

    app.register_blueprint(views.bp)
    register_kind(app, "appraisal", service.appraisal_job)
    register_kind(app, "appraise_all", pipeline.pipeline_job)
    app.cli.add_command(cli.appraise_command)
