"""Engagements: a city's (or its national government's) request to the programme moving
through the programme's stages (requested ... closed), each with its date, owner,
documents and checklist, and where each city stands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the engagement pages on ``app``."""
    from app.engagements import (
        committee_views,
        lesson_views,
        lessons,
        mission_views,
        team_views,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(team_views.bp)
    app.register_blueprint(mission_views.bp)
    app.register_blueprint(committee_views.bp)
    app.register_blueprint(lesson_views.bp)
    # the suggested solutions show the cases recorded for each solution
    app.add_template_global(lessons.cases_for_solution, "lessons_for_solution")
