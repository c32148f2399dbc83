"""KPI data coming in: the per-city grid, the KPI-values import kind (CSV, XLSX, the
per-city template), units as reports spell them, and the history of every value."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages and its import kind on ``app``."""
    from app.imports import add_import_kind
    from app.kpidata import grid_views
    from app.kpidata.importing import KPI_VALUES

    app.register_blueprint(grid_views.bp)
    add_import_kind(
        app,
        KPI_VALUES,
        "Import KPI values from a long CSV/XLSX file or a filled per-city template. "
        "All or nothing: if any row is refused, nothing is written and the command fails.",
    )
