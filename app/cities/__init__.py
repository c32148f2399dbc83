"""Cities: profiles, KPI gaps against targets, city targets, suggested solutions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.cities import views

    app.register_blueprint(views.bp)
