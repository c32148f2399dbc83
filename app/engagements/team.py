"""An engagement's expert team: the proposal (the city's largest gaps and its languages
covered by available experts, :func:`matching.teams.propose_team`) and its confirmation
by staff. Days confirmed on a team count against the expert's days of that year."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app.cities.gaps import city_gaps
from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.extensions import db
from app.core.permissions import require_staff
from app.engagements.service import FieldError, engagement_for, today
from app.models import Engagement, Expert, Sector, TeamMember, User
from app.models.base import utcnow
from matching.teams import ExpertOffer, Need, propose_team

__all__ = [
    "Proposal",
    "committed_days",
    "confirm_team",
    "expert_pool",
    "needs_of",
    "propose",
]

SECTOR_NEEDS = 3  # the city's largest sector gaps the team must cover
DIMENSION_NEEDS = 1  # and its largest dimension gap
NEEDS_PER_EXPERT = 3  # one expert carries at most this many needs (the team spreads)
LANGUAGE_WEIGHT = 1.0  # a language outweighs any gap (gaps are at most 1): speak it first


def committed_days(year: int) -> dict[int, int]:
    """Days each expert is confirmed for on teams counted against ``year``."""
    rows = db.session.execute(
        select(TeamMember.expert_id, func.sum(TeamMember.days))
        .where(TeamMember.year == year)
        .group_by(TeamMember.expert_id)
    )
    return {expert_id: int(days) for expert_id, days in rows}


def expert_pool(user: User) -> tuple[list[Expert], dict[int, int], int]:
    """Every expert, the days each is committed this year, and the year."""
    require_staff(user)
    year = today().year
    experts = list(db.session.scalars(select(Expert).order_by(Expert.name)))
    return experts, committed_days(year), year


def _languages(text: str | None) -> list[str]:
    return [code for code in re.split(r"[;,\s]+", (text or "").lower()) if code]


def _largest(frame, count: int) -> list[tuple[str, float]]:
    if frame.empty or "mean_gap" not in frame:
        return []
    gaps = [(str(name), float(gap)) for name, gap in frame["mean_gap"].items()]
    gaps = [(name, gap) for name, gap in gaps if not math.isnan(gap) and gap > 0]
    return sorted(gaps, key=lambda item: (-item[1], item[0]))[:count]


def needs_of(engagement: Engagement) -> list[Need]:
    """What the team must cover: the city's largest sector gaps and dimension gap (mean
    distance to target, 0 to 1) and each of the city's languages."""
    gaps = city_gaps(engagement.city_id)
    slugs = dict(db.session.execute(select(Sector.name, Sector.slug)).all())
    needs = [
        Need(slugs[name], f"{name} (mean gap {gap:.0%} of target)", gap)
        for name, gap in _largest(gaps.sectors, SECTOR_NEEDS)
        if name in slugs
    ]
    needs += [
        Need(name, f"the {name} dimension (mean gap {gap:.0%} of target)", gap)
        for name, gap in _largest(gaps.dimensions, DIMENSION_NEEDS)
    ]
    needs += [
        Need(f"lang:{code}", f"the city's language ({code})", LANGUAGE_WEIGHT)
        for code in _languages(engagement.city.language)
    ]
    return needs


def _offer(expert: Expert, committed: int) -> ExpertOffer:
    fields = {*expert.sectors, *expert.dimensions, *(f"lang:{c}" for c in expert.languages)}
    return ExpertOffer(
        id=str(expert.id),
        fields=frozenset(fields),
        available_days=expert.days_per_year - committed,
        days_needed=expert.days_per_engagement,
        countries=frozenset(expert.countries),
    )


@dataclass(frozen=True)
class ProposedExpert:
    expert: Expert
    reasons: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Proposal:
    engagement: Engagement
    needs: list[Need]
    members: list[ProposedExpert]
    uncovered: list[str]
    unavailable: list[tuple[Expert, str]]
    year: int


def _proposal(engagement: Engagement) -> Proposal:
    year = today().year
    committed = committed_days(year)
    on_team = {m.expert_id for m in engagement.team}
    experts = {str(e.id): e for e in db.session.scalars(select(Expert)) if e.id not in on_team}
    needs = needs_of(engagement)
    offers = [_offer(e, committed.get(e.id, 0)) for e in experts.values()]
    iso2 = engagement.city.country.iso2 if engagement.city.country else None
    team = propose_team(needs, offers, country=iso2, needs_per_expert=NEEDS_PER_EXPERT)
    return Proposal(
        engagement=engagement,
        needs=needs,
        members=[ProposedExpert(experts[m.expert], m.reasons, m.score) for m in team.members],
        uncovered=team.uncovered,
        unavailable=sorted(
            ((experts[i], why) for i, why in team.unavailable.items()),
            key=lambda pair: pair[0].name,
        ),
        year=year,
    )


def propose(user: User, engagement_id: int) -> Proposal:
    """The proposed team for an engagement (staff only), experts already on it left out."""
    require_staff(user)
    return _proposal(engagement_for(user, engagement_id))


def confirm_team(
    user: User, engagement_id: int, expert_ids: list[int], *, version: int | None
) -> Engagement:
    """Put the ticked experts of the proposal on the team, their days counted this year."""
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    check_version(engagement, version, "engagement")
    if not expert_ids:
        raise FieldError("expert_ids", "Tick at least one proposed expert to confirm.")
    proposal = _proposal(engagement)
    proposed = {p.expert.id: p for p in proposal.members}
    stray = sorted(set(expert_ids) - set(proposed))
    if stray:
        raise FieldError(
            "expert_ids",
            "Only proposed experts can be confirmed; reload the proposal "
            f"(expert ids not in it now: {', '.join(map(str, stray))}).",
        )
    for expert_id in sorted(set(expert_ids)):
        chosen = proposed[expert_id]
        engagement.team.append(
            TeamMember(
                expert_id=expert_id,
                days=chosen.expert.days_per_engagement,
                year=proposal.year,
                reasons=list(chosen.reasons),
                confirmed_by_id=user.id,
            )
        )
    record(
        "confirm_team",
        "engagement",
        engagement.id,
        {"experts": sorted(set(expert_ids)), "year": proposal.year},
        user_id=user.id,
    )
    engagement.updated_at = utcnow()
    commit_versioned("engagement")
    return engagement
