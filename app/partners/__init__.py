"""Partners: publication, matches and consortia per project, opportunities and interests."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, job kinds on ``app``."""
    from app.core.jobs import register_kind
    from app.partners import match_all, match_views, opportunity_views

    app.register_blueprint(opportunity_views.bp)
    app.register_blueprint(match_views.bp)
    register_kind(app, "match_all", match_all.run_match_all)
