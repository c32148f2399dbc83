"""The signed-in home (a dashboard per role) and the lists of cities, projects and partners."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.catalogue import dashboard, views

    app.register_blueprint(dashboard.bp)
    app.register_blueprint(views.bp)
