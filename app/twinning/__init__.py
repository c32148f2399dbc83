"""Twinning: mentor and mentee cities paired from their KPI profiles."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, job kinds on ``app``."""
    from app.core.jobs import register_kind
    from app.twinning import service, views

    app.register_blueprint(views.bp)
    register_kind(app, "twinning_cohort", service.run_cohort_job)
