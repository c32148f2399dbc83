"""Health: a probe for load balancers (database reachable)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.health import views

    app.register_blueprint(views.bp)
