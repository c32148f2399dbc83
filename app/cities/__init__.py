"""Cities: profiles, KPI gaps against targets, city targets, suggested solutions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages and commands on ``app``."""
    from app.cities import city_views, cli, views

    app.register_blueprint(views.bp)
    app.register_blueprint(city_views.bp)
    app.cli.add_command(cli.city_group)
