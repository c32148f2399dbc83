"""An engagement's action plan: the city's approved bundle's projects, each with
milestones (name, due date, owner, status) that staff keep, and the city's agreement.

Staff build the plan from the city's latest approved bundle, add and edit milestones
and record the agreement; the city and the experts on the team read it; partners see
none of it. Every change is audit-logged and checked against the plan's version (a
save from a stale page is a 409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.bundles.service import latest_approved_bundle
from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.engagements.checks import plan_complete
from app.engagements.service import FieldError, engagement_for, today
from app.models import (
    ActionPlan,
    Bundle,
    BundleItem,
    Engagement,
    Milestone,
    MilestoneStatus,
    Project,
    User,
)
from app.models.base import utcnow

__all__ = [
    "STATUS_LABELS",
    "MilestoneInput",
    "PlanPage",
    "ProjectPlan",
    "add_milestone",
    "agree_plan",
    "build_plan",
    "edit_milestone",
    "milestone_for",
    "plan_of",
    "plan_page",
    "plan_projects",
]

STATUS_LABELS = {
    MilestoneStatus.PLANNED: "Planned",
    MilestoneStatus.IN_PROGRESS: "In progress",
    MilestoneStatus.DONE: "Done",
    MilestoneStatus.DROPPED: "Dropped",
}
LONGEST_PLAN = timedelta(days=30 * 366)  # a milestone due more than 30 years on is a typo


@dataclass(frozen=True)
class MilestoneInput:
    project_id: int | None
    name: str
    due_on: date | None
    owner: str
    status: str
    done_on: date | None = None


@dataclass(frozen=True)
class ProjectPlan:
    project: Project
    milestones: list[Milestone]


@dataclass(frozen=True)
class PlanPage:
    engagement: Engagement
    plan: ActionPlan | None
    bundle: Bundle | None
    projects: list[ProjectPlan]
    complete: bool  # every project has milestones with owners
    approved_bundle: Bundle | None  # what a plan would be built from (staff)
    today: date

    def late(self, milestone: Milestone) -> bool:
        return milestone.status in (
            MilestoneStatus.PLANNED,
            MilestoneStatus.IN_PROGRESS,
        ) and (milestone.due_on < self.today)


def plan_of(engagement_id: int) -> ActionPlan | None:
    return db.session.scalar(
        select(ActionPlan)
        .where(ActionPlan.engagement_id == engagement_id)
        .options(selectinload(ActionPlan.milestones))
    )


def plan_projects(plan: ActionPlan) -> list[Project]:
    """The projects the bundle selected (the plan's projects), by title."""
    if plan.bundle_id is None:
        ids = {m.project_id for m in plan.milestones}
        query = select(Project).where(Project.id.in_(ids))
    else:
        query = (
            select(Project)
            .join(BundleItem, BundleItem.project_id == Project.id)
            .where(BundleItem.bundle_id == plan.bundle_id, BundleItem.selected.is_(True))
        )
    return list(
        db.session.scalars(query.options(selectinload(Project.kpis)).order_by(Project.title))
    )


def plan_page(user: User, engagement_id: int) -> PlanPage:
    """The plan as ``user`` may see it (staff, the city, the team's experts)."""
    engagement = engagement_for(user, engagement_id)
    plan = plan_of(engagement.id)
    projects = plan_projects(plan) if plan else []
    by_project: dict[int, list[Milestone]] = {}
    for milestone in plan.milestones if plan else []:
        by_project.setdefault(milestone.project_id, []).append(milestone)
    approved = None
    if plan is None and user.role.value == "staff":
        approved = latest_approved_bundle(user, engagement.city_id)
    return PlanPage(
        engagement=engagement,
        plan=plan,
        bundle=db.session.get(Bundle, plan.bundle_id) if plan and plan.bundle_id else None,
        projects=[ProjectPlan(p, by_project.get(p.id, [])) for p in projects],
        complete=plan_complete(plan, [p.id for p in projects]),
        approved_bundle=approved,
        today=today(),
    )


def build_plan(user: User, engagement_id: int) -> ActionPlan:
    """The engagement's plan from the city's latest approved bundle (staff; once)."""
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    existing = plan_of(engagement.id)
    if existing is not None:
        return existing
    bundle = latest_approved_bundle(user, engagement.city_id)
    if bundle is None:
        raise InvalidInput(
            f"{engagement.city.name} has no approved bundle yet: the action plan is built "
            "from the bundle its committee approved. Send a bundle to the city first."
        )
    if not any(item.selected for item in bundle.items):
        raise InvalidInput(f"The approved bundle \u201c{bundle.name}\u201d selects no project.")
    plan = ActionPlan(engagement_id=engagement.id, bundle_id=bundle.id, created_by_id=user.id)
    db.session.add(plan)
    db.session.flush()
    record(
        "build_plan", "engagement", engagement.id, {"plan_id": plan.id, "bundle_id": bundle.id},
        user_id=user.id,
    )  # fmt: skip
    db.session.commit()
    return plan


def _plan_for_edit(user: User, engagement_id: int, version: int | None) -> ActionPlan:
    require_staff(user)
    engagement_for(user, engagement_id)
    plan = plan_of(engagement_id)
    if plan is None:
        raise NotFound("This engagement has no action plan yet: build it from the bundle.")
    check_version(plan, version, "action plan")
    return plan


def _checked(plan: ActionPlan, data: MilestoneInput, requested_on: date) -> dict:
    projects = {p.id for p in plan_projects(plan)}
    if data.project_id not in projects:
        raise FieldError("project_id", "Choose one of the plan's projects.")
    name, owner = data.name.strip(), data.owner.strip()
    if not name:
        raise FieldError("name", "Name the milestone (e.g. Tender launched).")
    if not owner:
        raise FieldError("owner", "Name who owns the milestone (a person or an office).")
    if data.due_on is None:
        raise FieldError("due_on", "Give the due date as YYYY-MM-DD.")
    if data.due_on < requested_on or data.due_on > requested_on + LONGEST_PLAN:
        raise FieldError(
            "due_on",
            f"The due date must fall between the request ({requested_on.isoformat()}) "
            "and 30 years after it.",
        )
    try:
        status = MilestoneStatus(data.status)
    except ValueError:
        raise FieldError("status", "Choose planned, in progress, done or dropped.") from None
    done_on = data.done_on
    if done_on is not None and status is not MilestoneStatus.DONE:
        raise FieldError("done_on", "A date done is only for a milestone that is done.")
    if status is MilestoneStatus.DONE:
        done_on = done_on or today()
        if done_on > today():
            raise FieldError("done_on", "The date done is in the future: give the day it was done.")
    return {
        "project_id": data.project_id,
        "name": name,
        "owner": owner,
        "due_on": data.due_on,
        "status": status,
        "done_on": done_on,
    }


def _state(milestone: Milestone) -> dict:
    return {
        "project_id": milestone.project_id,
        "name": milestone.name,
        "owner": milestone.owner,
        "due_on": milestone.due_on.isoformat(),
        "status": milestone.status.value,
        "done_on": milestone.done_on.isoformat() if milestone.done_on else None,
    }


def add_milestone(
    user: User, engagement_id: int, data: MilestoneInput, *, version: int | None
) -> Milestone:
    plan = _plan_for_edit(user, engagement_id, version)
    engagement = db.session.get(Engagement, engagement_id)
    values = _checked(plan, data, engagement.requested_on)
    milestone = Milestone(**values)
    plan.milestones.append(milestone)
    plan.updated_at = utcnow()  # the plan's version counts its milestones' edits
    db.session.flush()
    record("add_milestone", "action_plan", plan.id, {"milestone_id": milestone.id,
           **_state(milestone)}, user_id=user.id)  # fmt: skip
    commit_versioned("action plan")
    return milestone


def milestone_for(user: User, engagement_id: int, milestone_id: int) -> Milestone:
    engagement_for(user, engagement_id)
    plan = plan_of(engagement_id)
    milestone = db.session.get(Milestone, milestone_id)
    if plan is None or milestone is None or milestone.plan_id != plan.id:
        raise NotFound(f"There is no milestone {milestone_id} in this engagement's plan.")
    return milestone


def edit_milestone(
    user: User, engagement_id: int, milestone_id: int, data: MilestoneInput, *, version: int | None
) -> Milestone:
    plan = _plan_for_edit(user, engagement_id, version)
    milestone = milestone_for(user, engagement_id, milestone_id)
    engagement = db.session.get(Engagement, engagement_id)
    before = _state(milestone)
    for name, value in _checked(plan, data, engagement.requested_on).items():
        setattr(milestone, name, value)
    after = _state(milestone)
    changes = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    if changes:
        plan.updated_at = utcnow()
        record("edit_milestone", "action_plan", plan.id, {"milestone_id": milestone.id,
               **changes}, user_id=user.id)  # fmt: skip
    commit_versioned("action plan")
    return milestone


def agree_plan(user: User, engagement_id: int, agreed_on: date | None, *, version: int | None):
    """Record that the city agreed the plan; every project needs milestones with owners."""
    plan = _plan_for_edit(user, engagement_id, version)
    if agreed_on is None:
        raise FieldError("agreed_on", "Give the date the city agreed the plan as YYYY-MM-DD.")
    if agreed_on > today():
        raise FieldError("agreed_on", "The date is in the future: give the day it was agreed.")
    if not plan_complete(plan, [p.id for p in plan_projects(plan)]):
        raise InvalidInput(
            "Every project of the plan needs at least one milestone with an owner before the "
            "plan can be agreed: add the missing milestones first."
        )
    before = plan.agreed_on.isoformat() if plan.agreed_on else None
    plan.agreed_on, plan.agreed_by_id = agreed_on, user.id
    changes = {"agreed_on": {"from": before, "to": agreed_on.isoformat()}}
    record("agree_plan", "action_plan", plan.id, changes, user_id=user.id)
    commit_versioned("action plan")
    return plan
