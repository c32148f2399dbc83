"""Projects: formulation from a gap or a template, cash flows, stages and the pipeline."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.projects import pipeline_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(pipeline_views.bp)
