"""Checklist items that hold by the data, not by a tick: the PROFILE issued for the
engagement, its action plan agreed with milestones and owners for every project, and a
first annual review saved. Read from the rows, so nobody can tick them by hand."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from app.core.extensions import db
from app.models import (
    ActionPlan,
    AnnualReview,
    BundleItem,
    Engagement,
    EngagementStage,
    ProfilePublication,
)

__all__ = ["data_state", "plan_complete", "publications_of"]


def plan_complete(plan: ActionPlan | None, project_ids: list[int]) -> bool:
    """Every project of the plan has at least one milestone, each with an owner."""
    if plan is None or not project_ids:
        return False
    covered = {m.project_id for m in plan.milestones if m.owner.strip()}
    return all(m.owner.strip() for m in plan.milestones) and set(project_ids) <= covered


def _plan_projects(plan: ActionPlan) -> list[int]:
    if plan.bundle_id is None:
        return sorted({m.project_id for m in plan.milestones})
    return list(
        db.session.scalars(
            select(BundleItem.project_id).where(
                BundleItem.bundle_id == plan.bundle_id, BundleItem.selected.is_(True)
            )
        )
    )


def data_state(engagement: Engagement, stage: EngagementStage | None = None) -> dict[str, bool]:
    """The data items of ``stage`` (default: the current one) and whether each holds."""
    stage = stage or engagement.stage
    state: dict[str, bool] = {}
    if stage is EngagementStage.PROFILE_PUBLISHED:
        issued = db.session.scalar(
            select(func.count())
            .select_from(ProfilePublication)
            .where(ProfilePublication.engagement_id == engagement.id)
        )
        state["publication"] = bool(issued)
    if stage is EngagementStage.ACTION_PLAN_AGREED:
        plan = db.session.scalar(
            select(ActionPlan).where(ActionPlan.engagement_id == engagement.id)
        )
        state["plan"] = plan is not None and plan.agreed_on is not None
        state["owners"] = plan is not None and plan_complete(plan, _plan_projects(plan))
    if stage is EngagementStage.IN_ANNUAL_REVIEW:
        reviews = db.session.scalar(
            select(func.count())
            .select_from(AnnualReview)
            .where(AnnualReview.engagement_id == engagement.id)
        )
        state["review"] = bool(reviews)
    return state


def publications_of(engagement_id: int) -> list[ProfilePublication]:
    """The PROFILEs issued for an engagement, newest first (without loading the files)."""
    return list(
        db.session.scalars(
            select(ProfilePublication)
            .where(ProfilePublication.engagement_id == engagement_id)
            .options(defer(ProfilePublication.pdf))
            .order_by(ProfilePublication.issued_at.desc(), ProfilePublication.id.desc())
        )
    )
