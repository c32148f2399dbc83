"""Action plans and annual reviews: what follows an engagement's mission. The city
PROFILE issued for the engagement, the action plan built from the city's approved bundle
(its projects with milestones and owners) and the yearly reviews of its implementation
(milestones against the plan, progress reports, KPI movement)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the action plan and annual review pages on ``app``."""
    from app.action_plans import plan_views, review_views

    app.register_blueprint(plan_views.bp)
    app.register_blueprint(review_views.bp)
