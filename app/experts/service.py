"""Editing an expert of the pool (staff): fields (sectors and KPI dimensions), countries,
languages, availability; every change checked and audit-logged. And what an expert's
own account is bound to (the expert row and its engagements)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.audit import record
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.permissions import require_role, require_staff
from app.engagements.service import FieldError, today
from app.engagements.team import committed_days
from app.models import KPI_DIMENSIONS, Country, Engagement, Expert, Role, Sector, TeamMember, User

__all__ = ["ExpertInput", "edit_expert", "expert_for", "own_engagements", "split_codes"]

MAX_DAYS = 366
_LANGUAGE = re.compile(r"[a-z]{2}")


@dataclass(frozen=True)
class ExpertInput:
    name: str
    organisation: str
    days_per_year: int | None
    days_per_engagement: int | None
    sectors: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    countries: str = ""
    languages: str = ""
    past_engagements: str = ""


def split_codes(text: str) -> list[str]:
    """Codes typed with commas, semicolons or spaces between them."""
    return [code for code in re.split(r"[;,\s]+", text or "") if code]


def expert_for(user: User, expert_id: int) -> Expert:
    require_staff(user)
    expert = db.session.get(Expert, expert_id)
    if expert is None:
        raise NotFound(f"There is no expert {expert_id}: see the pool on /experts.")
    return expert


def _checked(data: ExpertInput, expert: Expert) -> dict:
    name = data.name.strip()
    if not name:
        raise FieldError("name", "Give the expert's name.")
    sectors = set(db.session.scalars(select(Sector.slug)))
    unknown = sorted(set(data.sectors) - sectors)
    if unknown:
        raise FieldError("sectors", f"Unknown sector: {unknown[0]}. Tick sectors of the list.")
    stray = sorted(set(data.dimensions) - set(KPI_DIMENSIONS))
    if stray:
        raise FieldError("dimensions", f"Unknown KPI dimension: {stray[0]}.")
    countries = sorted({c.upper() for c in split_codes(data.countries)})
    known = set(db.session.scalars(select(Country.iso2).where(Country.iso2.in_(countries))))
    missing = [c for c in countries if c not in known]
    if missing:
        raise FieldError(
            "countries",
            f"Unknown country code: {missing[0]}. Write ISO 3166 two-letter codes (e.g. NO; TN).",
        )
    languages = sorted({code.lower() for code in split_codes(data.languages)})
    odd = [code for code in languages if not _LANGUAGE.fullmatch(code)]
    if odd:
        raise FieldError(
            "languages", f"'{odd[0]}' is not a language code: write ISO 639-1 codes (e.g. no; en)."
        )
    if data.days_per_year is None:
        raise FieldError("days_per_year", f"Give the days a year, 0 to {MAX_DAYS}.")
    if data.days_per_engagement is None or data.days_per_engagement < 1:
        raise FieldError("days_per_engagement", f"Give the days per engagement, 1 to {MAX_DAYS}.")
    year = today().year
    committed = committed_days(year).get(expert.id, 0)
    if data.days_per_year < committed:
        raise FieldError(
            "days_per_year",
            f"{name} is confirmed for {committed} days in {year} on teams: give at least that.",
        )
    return {
        "name": name,
        "organisation": data.organisation.strip(),
        "sectors": sorted(set(data.sectors)),
        "dimensions": [d for d in KPI_DIMENSIONS if d in data.dimensions],
        "countries": countries,
        "languages": languages,
        "days_per_year": data.days_per_year,
        "days_per_engagement": data.days_per_engagement,
        "past_engagements": data.past_engagements.strip(),
    }


def edit_expert(user: User, expert_id: int, data: ExpertInput) -> Expert:
    """Save an expert's fields (staff); the audit line keeps each value before."""
    expert = expert_for(user, expert_id)
    values = _checked(data, expert)
    changes = {
        name: {"from": getattr(expert, name), "to": value}
        for name, value in values.items()
        if getattr(expert, name) != value
    }
    for name, value in values.items():
        setattr(expert, name, value)
    if changes:
        record("edit", "expert", expert.id, changes, user_id=user.id)
    db.session.commit()
    return expert


def own_engagements(user: User) -> list[tuple[Engagement, TeamMember]]:
    """The engagements whose team the signed-in expert is on, with their seat."""
    require_role(user, Role.EXPERT)
    rows = db.session.execute(
        select(Engagement, TeamMember)
        .join(TeamMember, TeamMember.engagement_id == Engagement.id)
        .where(TeamMember.expert_id == user.expert_id)
        .order_by(Engagement.requested_on.desc())
    )
    return [(engagement, seat) for engagement, seat in rows]
