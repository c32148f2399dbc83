"""KPI data coming in: the per-city grid, file imports (CSV, XLSX, the per-city template),
units as reports spell them, and the history of every value."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages and commands on ``app``."""
    from app.kpidata import cli, grid_views, import_views

    app.register_blueprint(import_views.bp)
    app.register_blueprint(grid_views.bp)
    app.cli.add_command(cli.import_group)
