"""Twin cities: mentors in high-income economies, mentees in developing and transition ones.

A mentor fits a mentee when it is strong (high KPI attainment) exactly where the mentee
targets its gaps: that is the main component. Similar context adds: size, region and a
shared language. Distance is a weak component only. Roles follow the World Bank income
group of the city's country: high income -> mentor; low, lower-middle and upper-middle
income -> mentee. Missing data lowers the confidence (see :mod:`matching.components`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from matching.assignment import Assignments, assign
from matching.components import Component, ExplainedScore, combine, resolve_weights
from matching.errors import InvalidProfileError, NoCandidatesError
from matching.graphs import scalar_attributes

__all__ = [
    "DEFAULT_TWIN_WEIGHTS",
    "CityProfile",
    "TwinSuggestion",
    "twin_score",
    "suggest_twins",
    "pair_cohort",
    "twin_graph",
]

DEFAULT_TWIN_WEIGHTS = {
    "gaps": 0.6,
    "size": 0.12,
    "region": 0.1,
    "language": 0.12,
    "distance": 0.06,
}
_INCOME_GROUPS = {
    "high income": "high",
    "upper middle income": "upper-middle",
    "lower middle income": "lower-middle",
    "low income": "low",
}
_EARTH_RADIUS_KM = 6371.0
_HALF_CIRCUMFERENCE_KM = math.pi * _EARTH_RADIUS_KM


def _income_group(value: str, city: str) -> str:
    key = value.strip().lower().replace("-", " ")
    key = key if key.endswith("income") else f"{key} income"
    if key not in _INCOME_GROUPS:
        raise InvalidProfileError(
            f"city {city!r}: income group {value!r} is unknown; use a World Bank group "
            "(High income, Upper middle income, Lower middle income, Low income)"
        )
    return _INCOME_GROUPS[key]


@dataclass(frozen=True)
class CityProfile:
    """A city's KPI profile and context; None or empty means not known.

    Attributes
    ----------
    id : str
    income_group : str
        World Bank group of its country ("High income", "upper-middle", ...).
    attainment : mapping of KPI code to float
        Attainment against target per KPI, in [0, 1].
    targeted_gaps : frozenset of str
        KPI codes the city (as a mentee) wants to improve.
    population : float or None
    region : str or None
        World Bank region.
    languages : frozenset of str
    lat, lon : float or None
        Degrees.
    name : str or None
    """

    id: str
    income_group: str
    attainment: Mapping[str, float] = field(default_factory=dict)
    targeted_gaps: frozenset[str] = field(default_factory=frozenset)
    population: float | None = None
    region: str | None = None
    languages: frozenset[str] = field(default_factory=frozenset)
    lat: float | None = None
    lon: float | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "income_group", _income_group(self.income_group, self.id))
        object.__setattr__(self, "targeted_gaps", frozenset(self.targeted_gaps))
        object.__setattr__(self, "languages", frozenset(self.languages))
        for kpi, value in self.attainment.items():
            if not 0.0 <= value <= 1.0:
                raise InvalidProfileError(
                    f"city {self.id!r}: attainment of {kpi} is {value}; give a share in [0, 1]"
                )
        if self.population is not None and not self.population > 0:
            raise InvalidProfileError(f"city {self.id!r}: population must be > 0")

    @property
    def role(self) -> str:
        """ "mentor" for a high-income economy, else "mentee"."""
        return "mentor" if self.income_group == "high" else "mentee"

    @property
    def label(self) -> str:
        return self.name or self.id


def _gaps(mentor: CityProfile, mentee: CityProfile) -> Component:
    if not mentee.targeted_gaps:
        return Component("gaps", None, f"{mentee.label} targets no gaps: confidence lowered")
    known = sorted(k for k in mentee.targeted_gaps if k in mentor.attainment)
    if not known:
        return Component(
            "gaps", None, f"{mentor.label} has no data on the targeted gaps: confidence lowered"
        )
    # Deeper gaps weigh more: that is where a mentor's strength helps most.
    depth = {k: 1.0 - mentee.attainment.get(k, 0.0) for k in known}
    if sum(depth.values()) == 0:
        depth = dict.fromkeys(known, 1.0)
    value = sum(depth[k] * mentor.attainment[k] for k in known) / sum(depth.values())
    best = sorted(known, key=lambda k: -mentor.attainment[k])[:3]
    strengths = ", ".join(f"{k} ({mentor.attainment[k]:.0%} of target)" for k in best)
    text = f"strong where {mentee.label} targets gaps: {strengths}"
    if len(known) < len(mentee.targeted_gaps):
        text += f"; no data on {len(mentee.targeted_gaps) - len(known)} targeted gaps"
    return Component("gaps", value, text)


def _size(mentor: CityProfile, mentee: CityProfile) -> Component:
    if mentor.population is None or mentee.population is None:
        return Component("size", None, "a population is missing: confidence lowered")
    ratio = max(mentor.population, mentee.population) / min(mentor.population, mentee.population)
    # A factor of 100 in population (two orders of magnitude) scores zero.
    value = max(0.0, 1.0 - math.log10(ratio) / 2.0)
    return Component(
        "size",
        value,
        f"populations {mentor.population:,.0f} and {mentee.population:,.0f} "
        f"(a factor of {ratio:.1f})",
    )


def _region(mentor: CityProfile, mentee: CityProfile) -> Component:
    if mentor.region is None or mentee.region is None:
        return Component("region", None, "a region is missing: confidence lowered")
    if mentor.region == mentee.region:
        return Component("region", 1.0, f"same region ({mentor.region})")
    return Component("region", 0.0, f"different regions ({mentor.region}, {mentee.region})")


def _language(mentor: CityProfile, mentee: CityProfile) -> Component:
    if not mentor.languages or not mentee.languages:
        return Component("language", None, "languages not given: confidence lowered")
    shared = sorted(mentor.languages & mentee.languages)
    if shared:
        return Component("language", 1.0, f"shared language: {', '.join(shared)}")
    return Component("language", 0.0, "no shared language")


def _distance(mentor: CityProfile, mentee: CityProfile) -> Component:
    if None in (mentor.lat, mentor.lon, mentee.lat, mentee.lon):
        return Component("distance", None, "coordinates missing: confidence lowered")
    phi1, phi2 = math.radians(mentor.lat), math.radians(mentee.lat)
    dphi, dlam = phi2 - phi1, math.radians(mentee.lon - mentor.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    km = 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    value = max(0.0, 1.0 - km / _HALF_CIRCUMFERENCE_KM)
    return Component("distance", value, f"{km:,.0f} km apart (a weak factor)")


def twin_score(
    mentor: CityProfile, mentee: CityProfile, *, weights: Mapping[str, float] | None = None
) -> ExplainedScore:
    """Explained fit of a mentor city for a mentee city.

    Parameters
    ----------
    mentor : CityProfile
        A city of a high-income economy.
    mentee : CityProfile
        A city of a low or middle-income economy.
    weights : mapping, optional
        Weights of some components (see :data:`DEFAULT_TWIN_WEIGHTS`).

    Returns
    -------
    ExplainedScore

    Examples
    --------
    >>> oslo = CityProfile("osl", "High income", {"water loss": 0.9}, population=7e5,
    ...                    languages={"no", "en"}, region="Europe & Central Asia")
    >>> tunis = CityProfile("tun", "Lower middle income", {"water loss": 0.3},
    ...                     targeted_gaps={"water loss"}, population=6e5, languages={"en"},
    ...                     region="Middle East & North Africa")
    >>> fit = twin_score(oslo, tunis)
    >>> round(fit.score, 3), round(fit.confidence, 2)
    (0.826, 0.94)
    >>> fit.reasons[0]
    'strong where tun targets gaps: water loss (90% of target)'
    """
    if mentor.role != "mentor" or mentee.role != "mentee":
        raise InvalidProfileError(
            f"{mentor.id!r} must be a high-income city and {mentee.id!r} a low or "
            "middle-income one; swap them or check the income groups"
        )
    resolved = resolve_weights(weights, DEFAULT_TWIN_WEIGHTS)
    parts = (
        _gaps(mentor, mentee),
        _size(mentor, mentee),
        _region(mentor, mentee),
        _language(mentor, mentee),
        _distance(mentor, mentee),
    )
    return combine(parts, resolved)


@dataclass(frozen=True)
class TwinSuggestion:
    """A suggested twin of ``city``: ``twin`` with its fit and reasons."""

    city: str
    twin: str
    score: float
    confidence: float
    reasons: tuple[str, ...]


def _split(cities: Sequence[CityProfile]) -> tuple[list[CityProfile], list[CityProfile]]:
    if len({c.id for c in cities}) != len(cities):
        raise InvalidProfileError("two cities share an id; give each a unique id")
    mentors = [c for c in cities if c.role == "mentor"]
    mentees = [c for c in cities if c.role == "mentee"]
    if not mentors or not mentees:
        raise NoCandidatesError(
            "twinning needs at least one high-income (mentor) and one low or middle-income "
            "(mentee) city"
        )
    return mentors, mentees


def _all_scores(cities, weights):
    mentors, mentees = _split(cities)
    return {
        (mentee.id, mentor.id): twin_score(mentor, mentee, weights=weights)
        for mentee in mentees
        for mentor in mentors
    }


def suggest_twins(
    cities: Sequence[CityProfile], *, k: int = 3, weights: Mapping[str, float] | None = None
) -> dict[str, list[TwinSuggestion]]:
    """The ``k`` best twins of every city: mentors for a mentee, mentees for a mentor.

    Examples
    --------
    >>> a = CityProfile("a", "High income", {"k1": 1.0})
    >>> b = CityProfile("b", "High income", {"k1": 0.2})
    >>> m = CityProfile("m", "Low income", {"k1": 0.1}, targeted_gaps={"k1"})
    >>> [s.twin for s in suggest_twins([a, b, m], k=2)["m"]]
    ['a', 'b']
    """
    scores = _all_scores(cities, weights)
    out: dict[str, list[TwinSuggestion]] = {c.id: [] for c in cities}
    for (mentee, mentor), fit in scores.items():
        for city, twin in ((mentee, mentor), (mentor, mentee)):
            out[city].append(TwinSuggestion(city, twin, fit.score, fit.confidence, fit.reasons))
    return {
        city: sorted(found, key=lambda s: (-s.score, -s.confidence, s.twin))[:k]
        for city, found in out.items()
    }


def pair_cohort(
    cities: Sequence[CityProfile],
    *,
    capacity: int | Mapping[str, int] = 1,
    weights: Mapping[str, float] | None = None,
    blocked: Iterable[tuple[str, str]] = (),
    forced: Iterable[tuple[str, str]] = (),
    max_min_first: bool = False,
) -> Assignments:
    """Optimal mentor for every mentee of a cohort under mentor capacities.

    Pairs are (mentee, mentor) as ``project`` and ``partner`` of
    :func:`matching.assignment.assign`; mentees left without a mentor show in
    ``unmet_demand``.

    Examples
    --------
    >>> a = CityProfile("a", "High income", {"k1": 1.0, "k2": 0.1})
    >>> b = CityProfile("b", "High income", {"k1": 0.5, "k2": 0.9})
    >>> m = CityProfile("m", "Low income", {}, targeted_gaps={"k1"})
    >>> n = CityProfile("n", "Lower middle income", {}, targeted_gaps={"k2"})
    >>> [(x.project, x.partner) for x in pair_cohort([a, b, m, n])]
    [('m', 'a'), ('n', 'b')]
    """
    scores = {pair: fit.score for pair, fit in _all_scores(cities, weights).items()}
    return assign(
        scores, capacity=capacity, blocked=blocked, forced=forced, max_min_first=max_min_first
    )


def twin_graph(
    cities: Sequence[CityProfile],
    suggestions: Mapping[str, Sequence[TwinSuggestion]],
    *,
    pairing: Iterable = (),
) -> nx.Graph:
    """Cities as nodes, suggested twins as edges (``paired`` marks the cohort pairing).

    Attributes are GraphML scalars, ready for :mod:`matching.graphs` export.

    Examples
    --------
    >>> a = CityProfile("a", "High income", {"k1": 1.0})
    >>> m = CityProfile("m", "Low income", {}, targeted_gaps={"k1"})
    >>> g = twin_graph([a, m], suggest_twins([a, m]), pairing=pair_cohort([a, m]))
    >>> g.nodes["a"]["role"], g.edges["a", "m"]["paired"]
    ('mentor', True)
    """
    graph = nx.Graph()
    for c in cities:
        graph.add_node(
            c.id,
            **scalar_attributes(
                role=c.role,
                name=c.name,
                income_group=c.income_group,
                region=c.region,
                population=c.population,
                languages=c.languages,
                lat=c.lat,
                lon=c.lon,
                targeted_gaps=c.targeted_gaps,
            ),
        )
    for found in suggestions.values():
        for s in found:
            graph.add_edge(
                s.city,
                s.twin,
                score=float(s.score),
                confidence=float(s.confidence),
                reasons="; ".join(s.reasons),
                paired=False,
            )
    for pair in pairing:
        if not graph.has_edge(pair.project, pair.partner):
            graph.add_edge(pair.project, pair.partner, score=float(pair.score))
        graph.edges[pair.project, pair.partner]["paired"] = True
    return graph
