"""Publication: documents made for print, such as the city PROFILE as a PDF."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.publication import views

    app.register_blueprint(views.bp)
