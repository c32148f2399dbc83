"""Parameter sets: the built-in sets with their sources, staff copies (versioned), and
each city's default set."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages on ``app``."""
    from app.parameter_sets import views

    app.register_blueprint(views.bp)
