"""Downloads of the platform's lists as CSV or XLSX (cities, projects, opportunities,
interests, bundle selections, a city's KPI values in the import's long format)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the download routes on ``app``."""
    from app.exports import views

    app.register_blueprint(views.bp)
