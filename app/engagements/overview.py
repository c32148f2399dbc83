"""Where each city stands: the engagements page's rows and the pipeline board's summary.

A stage is late when it is not completed and its due date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from app.core.extensions import db
from app.core.permissions import require_role, require_staff
from app.engagements import stages
from app.engagements.service import on_team_of, today
from app.models import Engagement, EngagementStage, EngagementStep, Role, User

__all__ = ["EngagementRow", "StageCount", "engagement_rows", "engagement_summary", "days_late"]


def days_late(step: EngagementStep, on: date) -> int:
    """Days past the due date of an open stage (0: not late)."""
    if step.completed_on is not None or step.due_on is None:
        return 0
    return max(0, (on - step.due_on).days)


@dataclass(frozen=True)
class EngagementRow:
    engagement: Engagement
    step: EngagementStep
    days_late: int

    @property
    def late(self) -> bool:
        return self.days_late > 0


def engagement_rows(user: User, *, on: date | None = None) -> list[EngagementRow]:
    """Every engagement the user may see with its current stage, late ones first."""
    require_role(user, Role.STAFF, Role.CITY, Role.EXPERT)
    on = on or today()
    query = (
        select(EngagementStep)
        .join(
            Engagement,
            and_(
                EngagementStep.engagement_id == Engagement.id,
                EngagementStep.stage == Engagement.stage,
            ),
        )
        .options(joinedload(EngagementStep.engagement).joinedload(Engagement.city))
    )
    if user.role is Role.CITY:
        query = query.where(Engagement.city_id == user.city_id)
    if user.role is Role.EXPERT:
        query = query.where(Engagement.id.in_(on_team_of(user)))
    rows = [EngagementRow(s.engagement, s, days_late(s, on)) for s in db.session.scalars(query)]
    rows.sort(key=lambda r: (-r.days_late, r.engagement.city.name))
    return rows


@dataclass(frozen=True)
class StageCount:
    stage: EngagementStage
    count: int
    late: int

    @property
    def label(self) -> str:
        return stages.label(self.stage)


def engagement_summary(user: User, *, city_id: int | None = None, on: date | None = None):
    """Engagements per stage and how many of them are late (the pipeline board's panel)."""
    require_staff(user)
    on = on or today()
    late = func.sum(
        case(
            (
                and_(
                    EngagementStep.completed_on.is_(None),
                    EngagementStep.due_on.is_not(None),
                    EngagementStep.due_on < on,
                ),
                1,
            ),
            else_=0,
        )
    )
    query = (
        select(Engagement.stage, func.count(), late)
        .join(
            EngagementStep,
            and_(
                EngagementStep.engagement_id == Engagement.id,
                EngagementStep.stage == Engagement.stage,
            ),
        )
        .group_by(Engagement.stage)
    )
    if city_id:
        query = query.where(Engagement.city_id == city_id)
    found = {EngagementStage(s): (n, int(k or 0)) for s, n, k in db.session.execute(query)}
    return [StageCount(s, *found.get(s, (0, 0))) for s in stages.ORDER]
