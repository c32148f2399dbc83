"""Smart product packages: cities grouped by development level, packages for partners."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.packages import views

    app.register_blueprint(views.bp)
