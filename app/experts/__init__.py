"""Experts of the pool: staff edit an expert's fields, countries, languages and
availability; an expert's own account (role "expert") sees the engagements whose team
they are on (the engagement pages check it)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the expert pages on ``app``."""
    from app.experts import views

    app.register_blueprint(views.bp)
