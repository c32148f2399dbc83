"""Expert teams for a city: cover its largest needs under each expert's availability.

A *need* is something the team must bring: a programme sector or KPI dimension where
the city's gap is large (weighted by the gap), or the city's language. An expert
covers a need when the need's field is one of the expert's fields. Experts whose
available days do not reach the days one engagement takes are left out (and said so).
The choice is :func:`matching.assignment.assign` with needs as the projects (demand
one expert each) and experts as the partners (capacity: how many needs one expert may
carry), so the total weight of covered needs is the largest possible; a country the
expert has worked in adds a tenth of the need's weight, so among equals the one who
knows the country is chosen. Every choice comes with its reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matching.assignment import assign

__all__ = ["ExpertOffer", "Need", "ProposedMember", "Team", "propose_team"]

COUNTRY_BONUS = 0.1


@dataclass(frozen=True)
class Need:
    """What the team must cover: ``field`` is a sector slug, a dimension or ``lang:xx``;
    ``weight`` is how much it matters (the city's mean gap there, in [0, 1])."""

    field: str
    label: str
    weight: float


@dataclass(frozen=True)
class ExpertOffer:
    id: str
    fields: frozenset[str]
    available_days: int
    days_needed: int
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProposedMember:
    expert: str
    needs: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Team:
    members: list[ProposedMember]
    uncovered: list[str]  # labels of needs no available expert covers
    unavailable: dict[str, str] = field(default_factory=dict)  # expert id -> why left out


def propose_team(
    needs: Sequence[Need],
    experts: Sequence[ExpertOffer],
    *,
    country: str | None = None,
    needs_per_expert: int = 2,
) -> Team:
    """The team that covers the most weight of ``needs`` with available experts.

    Examples
    --------
    >>> needs = [Need("energy", "Energy (gap 0.60)", 0.6), Need("lang:fr", "French", 0.5)]
    >>> experts = [
    ...     ExpertOffer("ana", frozenset({"energy", "lang:fr"}), 40, 20),
    ...     ExpertOffer("bo", frozenset({"energy"}), 10, 20),
    ... ]
    >>> team = propose_team(needs, experts)
    >>> [(m.expert, m.needs) for m in team.members], team.unavailable
    ([('ana', ('energy', 'lang:fr'))], {'bo': 'available 10 days; an engagement takes 20'})
    """
    unavailable = {
        e.id: f"available {e.available_days} days; an engagement takes {e.days_needed}"
        for e in experts
        if e.available_days < e.days_needed
    }
    pool = [e for e in experts if e.id not in unavailable]
    by_field = {need.field: need for need in needs}
    scores = {}
    for need in needs:
        for expert in pool:
            if need.field in expert.fields:
                bonus = COUNTRY_BONUS if country and country in expert.countries else 0.0
                scores[(need.field, expert.id)] = need.weight * (1.0 + bonus)
    if not scores:
        return Team([], [n.label for n in needs], unavailable)
    chosen = assign(scores, capacity=needs_per_expert, demand=1)
    carried: dict[str, list[str]] = {}
    for pair in chosen:
        carried.setdefault(pair.partner, []).append(pair.project)
    offers = {e.id: e for e in pool}
    members = []
    for expert_id, fields in carried.items():
        offer = offers[expert_id]
        reasons = [f"covers {by_field[f].label}" for f in fields]
        if country and country in offer.countries:
            reasons.append(f"has worked in {country}")
        reasons.append(
            f"available {offer.available_days} days; this engagement takes {offer.days_needed}"
        )
        score = sum(scores[(f, expert_id)] for f in fields)
        members.append(ProposedMember(expert_id, tuple(fields), round(score, 6), tuple(reasons)))
    members.sort(key=lambda m: (-m.score, m.expert))
    covered = {f for m in members for f in m.needs}
    return Team(members, [n.label for n in needs if n.field not in covered], unavailable)
