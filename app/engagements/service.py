"""Engagements: filing a request, editing the current stage, moving to the next stage.

Staff manage every engagement; a city's committee files its own city's request and sees
its own engagements; an expert sees the engagements whose team they are on; partners see
none. Stage moves and stage edits are audit-logged and
version-checked (a save from a stale page is a 409).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.concurrency import add_once, check_version, commit_versioned, created_before
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.permissions import require_role, require_staff
from app.engagements import checks, stages
from app.models import (
    City,
    Engagement,
    EngagementStage,
    EngagementStep,
    Requester,
    Role,
    TeamMember,
    User,
)
from app.models.base import utcnow

__all__ = [
    "EngagementInput",
    "FieldError",
    "StepInput",
    "advance_engagement",
    "current_step",
    "engagement_for",
    "file_engagement",
    "on_team_of",
    "today",
    "update_step",
]


class FieldError(InvalidInput):
    """Bad input that belongs to one form field (``field`` names it)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class EngagementInput:
    city_id: int | None
    requester: str
    requester_name: str
    requested_on: date | None
    notes: str = ""
    creation_key: str | None = None


@dataclass(frozen=True)
class StepInput:
    owner: str
    due_on: date | None
    documents: str
    ticked: list[str] = field(default_factory=list)


def _require_may_file(user: User | None) -> User:
    return require_role(user, Role.STAFF, Role.CITY)


def on_team_of(user: User):
    """The ids of the engagements whose team holds the expert account ``user`` (a query)."""
    return select(TeamMember.engagement_id).where(TeamMember.expert_id == user.expert_id)


def file_engagement(user: User, data: EngagementInput) -> Engagement:
    """Record a request: staff for any city, a city committee for its own city.

    The engagement starts at "requested", due after the stage's default days.
    """
    _require_may_file(user)
    city_id = user.city_id if user.role is Role.CITY else data.city_id
    if city_id is None or db.session.get(City, city_id) is None:
        raise FieldError("city_id", "Choose the city the request is for.")
    try:
        requester = Requester(data.requester)
    except ValueError:
        raise FieldError(
            "requester", "Choose who made the request: the city or its national government."
        ) from None
    name = data.requester_name.strip()
    if not name:
        raise FieldError(
            "requester_name", "Name the office that made the request (e.g. the mayor's office)."
        )
    if data.requested_on is None:
        raise FieldError("requested_on", "Give the date of the request as YYYY-MM-DD.")
    if data.requested_on > today():
        raise FieldError(
            "requested_on", "The request date is in the future: give the date it was made."
        )
    earlier = created_before(Engagement, data.creation_key)
    if earlier is not None:
        return earlier
    engagement = Engagement(
        city_id=city_id,
        requester=requester,
        requester_name=name,
        requested_on=data.requested_on,
        notes=data.notes.strip(),
        filed_by_id=user.id,
        creation_key=data.creation_key,
    )
    engagement.steps.append(_begin(stages.ORDER[0], data.requested_on))
    engagement = add_once(engagement, Engagement)
    record(
        "file",
        "engagement",
        engagement.id,
        {"city_id": city_id, "requester": requester.value, "by_role": user.role.value},
        user_id=user.id,
    )
    db.session.commit()
    return engagement


def _begin(stage, on: date) -> EngagementStep:
    days = stages.DEFAULT_DAYS[stage]
    return EngagementStep(
        stage=stage,
        started_on=on,
        due_on=None if days is None else on + timedelta(days=days),
        checklist={},
    )


def engagement_for(user: User, engagement_id: int) -> Engagement:
    """The engagement, if ``user`` may see it (staff: all; a city: its own; an expert:
    those whose team they are on)."""
    require_role(user, Role.STAFF, Role.CITY, Role.EXPERT)
    engagement = db.session.scalar(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(selectinload(Engagement.steps), selectinload(Engagement.city))
    )
    if engagement is None:
        raise NotFound(f"There is no engagement {engagement_id}.")
    if user.role is Role.CITY and engagement.city_id != user.city_id:
        raise PermissionDenied("This engagement is another city's; you see your own city's only.")
    if user.role is Role.EXPERT and engagement.id not in set(db.session.scalars(on_team_of(user))):
        raise PermissionDenied(
            "You are not on this engagement's expert team; you see the engagements you are on."
        )
    return engagement


def current_step(engagement: Engagement) -> EngagementStep:
    return next(s for s in engagement.steps if s.stage is engagement.stage)


def _staff_engagement(user: User, engagement_id: int, version: int | None) -> Engagement:
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    check_version(engagement, version, "engagement")
    return engagement


def update_step(
    user: User, engagement_id: int, data: StepInput, *, version: int | None
) -> Engagement:
    """Save the current stage's owner, due date, documents and checklist (staff only)."""
    engagement = _staff_engagement(user, engagement_id, version)
    step = current_step(engagement)
    known = {item.key for item in stages.tickable(step.stage)}
    unknown = sorted(set(data.ticked) - known)
    if unknown:
        raise FieldError(
            "ticked", f"These are not items of this stage's checklist: {', '.join(unknown)}."
        )
    if data.due_on is not None and data.due_on < step.started_on:
        raise FieldError(
            "due_on",
            f"The due date is before the stage began ({step.started_on.isoformat()}): "
            "give a later date.",
        )
    before = _step_state(step)
    step.owner = data.owner.strip()
    step.due_on = data.due_on
    step.documents = data.documents.strip()
    step.checklist = {key: key in data.ticked for key in sorted(known)}
    after = _step_state(step)
    changes = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    record(
        "edit_step",
        "engagement",
        engagement.id,
        {"stage": step.stage.value, **changes},
        user_id=user.id,
    )
    engagement.updated_at = utcnow()  # the engagement's version counts its steps' edits too
    commit_versioned("engagement")
    return engagement


def _step_state(step: EngagementStep) -> dict:
    return {
        "owner": step.owner,
        "due_on": step.due_on.isoformat() if step.due_on else None,
        "documents": step.documents,
        "checklist": sorted(k for k, v in (step.checklist or {}).items() if v),
    }


def advance_engagement(user: User, engagement_id: int, *, version: int | None) -> Engagement:
    """Close the current stage (its checklist must hold) and begin the next one today."""
    engagement = _staff_engagement(user, engagement_id, version)
    step = current_step(engagement)
    target = stages.next_stage(engagement.stage)
    if target is None:
        raise InvalidInput("The engagement is closed; it has no next stage.")
    missing = stages.missing_items(
        step.stage, {**(step.checklist or {}), **checks.data_state(engagement)}
    )
    if missing:
        raise InvalidInput(
            f"The stage \u201c{stages.label(step.stage)}\u201d cannot be left yet: "
            f"tick what it needs first ({'; '.join(item.text for item in missing)})."
        )
    if target is EngagementStage.TEAM_FORMED and not engagement.team:
        raise InvalidInput(
            "Confirm the expert team first (Propose a team on this page); the engagement "
            "then counts as \u201cTeam formed\u201d."
        )
    on = today()
    step.completed_on = on
    engagement.steps.append(_begin(target, on))
    record(
        "advance",
        "engagement",
        engagement.id,
        {"stage": {"from": engagement.stage.value, "to": target.value}},
        user_id=user.id,
    )
    engagement.stage = target
    commit_versioned("engagement")
    return engagement
