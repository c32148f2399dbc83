"""Missions: recording one (dates, participants), its findings per KPI dimension and
the KPI value changes it produced (grid entries or imports of the city, linked by staff).

Staff record and edit; an expert on the engagement's team records its findings; the city
sees its own engagement's missions. Edits are
version-checked and audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.concurrency import add_once, check_version, commit_versioned, created_before
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.permissions import require_role, require_staff
from app.engagements.service import FieldError, engagement_for
from app.models import KPI_DIMENSIONS, Kpi, KpiValueChange, Mission, MissionFinding, Role, User
from app.models.programme.missions import mission_kpi_change

__all__ = [
    "MissionInput",
    "MissionPage",
    "mission_page",
    "record_mission",
    "save_findings",
]


@dataclass(frozen=True)
class MissionInput:
    starts_on: date | None
    ends_on: date | None
    participants: str
    creation_key: str | None = None


def record_mission(user: User, engagement_id: int, data: MissionInput) -> Mission:
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    if data.starts_on is None:
        raise FieldError("starts_on", "Give the first day of the mission as YYYY-MM-DD.")
    if data.ends_on is None:
        raise FieldError("ends_on", "Give the last day of the mission as YYYY-MM-DD.")
    if data.starts_on < engagement.requested_on:
        raise FieldError(
            "starts_on",
            f"The mission starts before the request ({engagement.requested_on.isoformat()}): "
            "give a later date.",
        )
    if data.ends_on < data.starts_on:
        raise FieldError("ends_on", "The last day is before the first: give a later date.")
    participants = "\n".join(
        line.strip() for line in data.participants.splitlines() if line.strip()
    )
    if not participants:
        raise FieldError("participants", "Name who took part, one a line (name, organisation).")
    earlier = created_before(Mission, data.creation_key)
    if earlier is not None:
        return earlier
    mission = add_once(
        Mission(
            engagement_id=engagement.id,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            participants=participants,
            created_by_id=user.id,
            creation_key=data.creation_key,
        ),
        Mission,
    )
    record(
        "record_mission",
        "engagement",
        engagement.id,
        {
            "mission_id": mission.id,
            "from": data.starts_on.isoformat(),
            "to": data.ends_on.isoformat(),
        },
        user_id=user.id,
    )
    db.session.commit()
    return mission


def _mission(user: User, mission_id: int) -> Mission:
    mission = db.session.scalar(
        select(Mission)
        .where(Mission.id == mission_id)
        .options(selectinload(Mission.findings), selectinload(Mission.changes))
    )
    if mission is None:
        raise NotFound(f"There is no mission {mission_id}.")
    engagement_for(user, mission.engagement_id)  # the same visibility as its engagement
    return mission


@dataclass(frozen=True)
class MissionPage:
    mission: Mission
    findings: dict[str, str]  # dimension -> text
    linked: dict[str, list[tuple[KpiValueChange, Kpi]]]  # dimension -> changes produced
    candidates: list[tuple[KpiValueChange, Kpi]]  # the city's changes linkable to it


def _candidates(mission: Mission) -> list[tuple[KpiValueChange, Kpi]]:
    """The city's KPI value changes from the mission's first day on, not yet produced
    by another mission (this mission's own included)."""
    city_id = mission.engagement.city_id
    since = datetime.combine(mission.starts_on, time.min, tzinfo=UTC)
    others = select(mission_kpi_change.c.change_id).where(
        mission_kpi_change.c.mission_id != mission.id
    )
    rows = db.session.execute(
        select(KpiValueChange, Kpi)
        .join(Kpi, Kpi.id == KpiValueChange.kpi_id)
        .where(
            KpiValueChange.city_id == city_id,
            KpiValueChange.at >= since,
            KpiValueChange.id.not_in(others),
        )
        .order_by(KpiValueChange.id)
    )
    return [(change, kpi) for change, kpi in rows]


def mission_page(user: User, mission_id: int) -> MissionPage:
    mission = _mission(user, mission_id)
    kpis = {
        k.id: k
        for k in db.session.scalars(
            select(Kpi).where(Kpi.id.in_([c.kpi_id for c in mission.changes]))
        )
    }
    linked: dict[str, list] = {d: [] for d in KPI_DIMENSIONS}
    for change in mission.changes:
        kpi = kpis[change.kpi_id]
        linked.setdefault(kpi.dimension, []).append((change, kpi))
    return MissionPage(
        mission=mission,
        findings={f.dimension: f.text for f in mission.findings},
        linked=linked,
        candidates=_candidates(mission),
    )


def save_findings(
    user: User,
    mission_id: int,
    findings: dict[str, str],
    change_ids: list[int],
    *,
    version: int | None,
) -> Mission:
    """Set the mission's findings per dimension (blank: none) and the changes it produced:
    staff, or an expert on the engagement's team."""
    require_role(user, Role.STAFF, Role.EXPERT)
    mission = _mission(user, mission_id)
    check_version(mission, version, "mission")
    unknown = sorted(set(findings) - set(KPI_DIMENSIONS))
    if unknown:
        raise FieldError("findings", f"Unknown KPI dimension: {', '.join(unknown)}.")
    allowed = {change.id: change for change, _ in _candidates(mission)}
    stray = sorted(set(change_ids) - set(allowed))
    if stray:
        raise FieldError(
            "change_ids",
            "These KPI value changes are not the city's since the mission began, or another "
            f"mission produced them: {', '.join(map(str, stray))}. Reload the page.",
        )
    before = {f.dimension: f.text for f in mission.findings}
    texts = {d: (findings.get(d) or "").strip() for d in KPI_DIMENSIONS}
    existing = {f.dimension: f for f in mission.findings}
    for dimension, text in texts.items():
        finding = existing.get(dimension)
        if text and finding:
            finding.text = text
        elif text:
            mission.findings.append(MissionFinding(dimension=dimension, text=text))
        elif finding:
            mission.findings.remove(finding)
    old_links = sorted(c.id for c in mission.changes)
    mission.changes = [allowed[i] for i in sorted(set(change_ids))]
    record(
        "mission_findings",
        "mission",
        mission.id,
        {
            "findings": {d: t for d, t in texts.items() if before.get(d, "") != t},
            "changes": {"from": old_links, "to": sorted(set(change_ids))},
        },
        user_id=user.id,
    )
    mission.updated_at = datetime.now(UTC)
    commit_versioned("mission")
    return mission
