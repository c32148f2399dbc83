"""Monitoring: the cities' yearly progress reports against their KPI targets."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.monitoring import views

    app.register_blueprint(views.bp)
