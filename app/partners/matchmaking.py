"""The bridge from project and partner rows to the pure matching package.

Profiles are read with a few bulk queries of plain columns (no ORM objects), so
scoring thousands of pairs costs one round trip per table, not one per row. Every
partner's profile is cached in this process and rebuilt when the partner tables
change (row counts and largest id) or after :data:`PARTNER_CACHE_SECONDS`: partners
are edited rarely and the staff pages score all of them at once.

Conventions: a partner works in its home country and in the countries it lists; a
ticket and a capex in different currencies are compared at the ECB's EUR/USD annual
average of the newest year of :func:`appraisal.analysis.price_base.load_default_indices`,
and any other currency at the World Bank annual average of that year (its last rate
carried forward when the year is missing).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask import current_app

from app.core.extensions import db
from app.models import City, Country, Partner, PartnerKind, PartnerStatus, Project, Sector
from app.models.partner import partner_country, partner_sector
from app.partners.process_cache import after_rebuild, before_rebuild
from appraisal.analysis.price_base import convert_cost, load_default_indices
from appraisal.analysis.world_prices import available_currencies
from appraisal.errors import PriceBaseError
from matching.components import ExplainedScore
from matching.scoring import RISK_LEVELS, PartnerProfile, ProjectProfile, score_pair
from matching.scoring_batch import score_pairs

__all__ = [
    "COMPONENT_LABELS",
    "KIND_NAMES",
    "PARTNER_CACHE_SECONDS",
    "PartnerProfiles",
    "RankedPartner",
    "app_cache",
    "components_table",
    "concerns",
    "explain",
    "fx_note",
    "fx_rates",
    "partner_profiles",
    "project_profiles",
    "project_query",
    "published_scores",
    "rank_partners",
    "score_projects_for",
    "top_reasons",
]

PARTNER_CACHE_SECONDS = 300.0
#: Partners whose scores on every published project are kept (oldest dropped first).
_SCORED_PARTNERS = 256
KIND_NAMES = {kind: kind.value.replace("_", " ") for kind in PartnerKind}
COMPONENT_LABELS = {
    "sector": "Sector",
    "finance": "Financing instruments",
    "capabilities": "Capabilities",
    "geography": "Geography",
    "ticket": "Ticket vs capex or amount sought",
    "risk": "Risk appetite vs project risk",
    "track_record": "Track record",
}


@functools.cache
def _eur_usd() -> tuple[int, float]:
    """(year, USD per EUR) of the newest ECB annual average in the packaged indices."""
    indices = load_default_indices()["eur_usd_annual_avg"].dropna()
    return int(indices.index[-1]), float(indices.iloc[-1])


@functools.cache
def _eur_values() -> dict[str, float]:
    year = _eur_usd()[0]
    values = {}
    for code, _ in available_currencies():
        try:
            values[code] = convert_cost(1.0, code, year, to_currency="EUR", to_year=year).value
        except PriceBaseError:
            continue
    return values


def fx_rates() -> dict[str, float]:
    """Value of one unit of each currency in EUR (the newest annual averages)."""
    return dict(_eur_values())


def fx_note() -> str:
    year, rate = _eur_usd()
    return (
        f"USD and EUR compared at {rate:.4f} USD per EUR (ECB annual average {year}); "
        f"other currencies at the World Bank {year} annual average rate"
    )


def _risk(level: str | None) -> str | None:
    return level if level in RISK_LEVELS else None


def project_query() -> sa.Select:
    """The columns a project profile needs, one row per project (filter it further)."""
    return (
        sa.select(
            Project.id,
            Sector.name,
            Country.iso2,
            Country.wb_region,
            Project.capex_total,
            Project.currency,
            Project.risk_level,
            Project.needed_capabilities,
            Project.instruments_sought,
        )
        .join(Sector, Sector.id == Project.sector_id)
        .join(City, City.id == Project.city_id)
        .join(Country, Country.id == City.country_id)
    )


def project_profiles(query: sa.Select) -> list[ProjectProfile]:
    """Profiles of the projects a :func:`project_query` (maybe filtered) selects."""
    return [
        ProjectProfile(
            str(pid),
            sector=sector,
            needs=frozenset(needs or ()),
            country=iso2,
            region=region,
            capex=None if capex is None else float(capex),
            currency=currency if capex is not None else None,
            risk=_risk(risk),
            instruments_sought=frozenset(sought or ()),
        )
        for pid, sector, iso2, region, capex, currency, risk, needs, sought in db.session.execute(
            query
        )
    ]


@dataclass(frozen=True)
class PartnerProfiles:
    """Every partner's profile, with the facts the pages show beside the scores."""

    profiles: tuple[PartnerProfile, ...]
    names: dict[int, str]
    capacity: dict[int, int]

    def index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.profiles)}


_cache_lock = threading.Lock()


def app_cache(name: str) -> dict:
    """A cache dict kept on the current app: one per process in production, and a fresh
    one for every app a test builds (whose rows may reuse ids with other content)."""
    with _cache_lock:
        return current_app.extensions.setdefault("usc_matching_cache", {}).setdefault(name, {})


def _partner_fingerprint() -> tuple:
    counts = sa.select(
        sa.select(sa.func.count(Partner.id)).scalar_subquery(),
        sa.select(sa.func.max(Partner.id)).scalar_subquery(),
        # an edit or a review bumps the version: the cache must not outlive it
        sa.select(sa.func.sum(Partner.version)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(partner_country).scalar_subquery(),
        sa.select(sa.func.count()).select_from(partner_sector).scalar_subquery(),
    )
    return (*db.session.execute(counts).one(), str(db.engine.url))


def partner_profiles(partner_ids: Iterable[int] | None = None) -> PartnerProfiles:
    """Profiles of the given partners (all of them, cached, when ``partner_ids`` is None)."""
    if partner_ids is not None:
        return _load_partners(list(partner_ids))
    fingerprint = _partner_fingerprint()
    _cache = app_cache("matchmaking")
    with _cache_lock:
        cached = _cache.get("partners")
        if (
            cached
            and cached[0] == fingerprint
            and time.monotonic() - cached[1] < (PARTNER_CACHE_SECONDS)
        ):
            return cached[2]
    before_rebuild()
    loaded = _load_partners(None)
    with _cache_lock:
        _cache["partners"] = (fingerprint, time.monotonic(), loaded)
    after_rebuild()
    return loaded


def _load_partners(ids: list[int] | None) -> PartnerProfiles:
    home = sa.orm.aliased(Country)
    query = sa.select(
        Partner.id,
        Partner.name,
        Partner.kind,
        home.iso2,
        Partner.regions,
        Partner.ticket_min,
        Partner.ticket_max,
        Partner.ticket_currency,
        Partner.risk_appetite,
        Partner.capabilities,
        Partner.track_record_projects,
        Partner.capacity,
        Partner.instruments,
    ).outerjoin(home, home.id == Partner.country_id)
    query = query.where(Partner.status == PartnerStatus.APPROVED)  # registered, not yet approved
    sectors_q = sa.select(partner_sector.c.partner_id, Sector.name).join(
        Sector, Sector.id == partner_sector.c.sector_id
    )
    countries_q = sa.select(partner_country.c.partner_id, Country.iso2).join(
        Country, Country.id == partner_country.c.country_id
    )
    if ids is not None:
        query = query.where(Partner.id.in_(ids))
        sectors_q = sectors_q.where(partner_sector.c.partner_id.in_(ids))
        countries_q = countries_q.where(partner_country.c.partner_id.in_(ids))
    sectors: dict[int, set[str]] = {}
    for pid, name in db.session.execute(sectors_q):
        sectors.setdefault(pid, set()).add(name)
    countries: dict[int, set[str]] = {}
    for pid, iso2 in db.session.execute(countries_q):
        countries.setdefault(pid, set()).add(iso2)
    profiles, names, capacity = [], {}, {}
    for row in db.session.execute(query.order_by(Partner.id)):
        (pid, name, kind, home_iso2, regions, low, high, currency, appetite, caps, record, cap,
         instruments) = row  # fmt: skip
        where = countries.get(pid, set()) | ({home_iso2} if home_iso2 else set())
        profiles.append(
            PartnerProfile(
                str(pid),
                KIND_NAMES[kind],
                sectors=frozenset(sectors.get(pid, ())),
                capabilities=frozenset(caps or ()),
                countries=frozenset(where),
                regions=frozenset(regions or ()),
                ticket_min=None if low is None else float(low),
                ticket_max=None if high is None else float(high),
                currency=currency if (low is not None or high is not None) else None,
                risk_appetite=appetite.value if appetite else None,
                track_record=record,
                instruments=frozenset(instruments or ()),
            )
        )
        names[pid], capacity[pid] = name, cap
    return PartnerProfiles(tuple(profiles), names, capacity)


def explain(project: ProjectProfile, partner: PartnerProfile) -> ExplainedScore:
    """The explained fit of one pair (the reference scorer, at the platform's FX rates)."""
    return score_pair(project, partner, fx=fx_rates())


def components_table(fit: ExplainedScore) -> list[dict]:
    """Rows for a template: label, value (None = unknown) and reason per component."""
    return [
        {"name": c.name, "label": COMPONENT_LABELS[c.name], "value": c.value, "reason": c.reason}
        for c in fit.components
    ]


def top_reasons(fit: ExplainedScore, count: int = 3) -> list[str]:
    """The reasons of the strongest known components first (what makes the fit)."""
    known = sorted(
        (c for c in fit.components if c.value is not None), key=lambda c: -(c.value or 0.0)
    )
    return [c.reason for c in known[:count]]


def concerns(fit: ExplainedScore, count: int = 2) -> list[str]:
    """The reasons of the weakest known components scoring under one half (what holds the
    fit back), weakest first."""
    weak = sorted(
        (c for c in fit.components if c.value is not None and c.value < 0.5),
        key=lambda c: c.value,
    )
    return [c.reason for c in weak[:count]]


def _published_fingerprint() -> tuple:
    row = db.session.execute(
        sa.select(
            sa.func.count(Project.id), sa.func.max(Project.id), sa.func.max(Project.updated_at)
        ).where(Project.published.is_(True))
    ).one()
    return (*row, str(db.engine.url))


def published_scores(partner: PartnerProfile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(project ids ascending, scores, confidences) of every published project for one
    partner, cached per process until a published project changes (or the TTL ends).

    Reading 13,000 profiles costs some 100-400 ms, scoring them for one partner about
    25 ms: both are kept, so a request pays only for its SQL filter and its page.
    """
    key = _published_fingerprint()
    now = time.monotonic()
    _cache = app_cache("matchmaking")
    with _cache_lock:
        cached = _cache.get("published")
        fresh = cached and cached[0] == key and now - cached[1] < PARTNER_CACHE_SECONDS
        if fresh:
            scores = cached[3].get(partner)
            if scores is not None:
                return cached[2][0], *scores
    if not fresh:
        before_rebuild()
        profiles = project_profiles(
            project_query().where(Project.published.is_(True)).order_by(Project.id)
        )
        ids = np.array([int(p.id) for p in profiles], dtype=np.int64)
        cached = (key, now, (ids, profiles), {})
        after_rebuild()
    ids, profiles = cached[2]
    scores = score_projects_for(profiles, partner)
    with _cache_lock:
        if len(cached[3]) >= _SCORED_PARTNERS:
            cached[3].pop(next(iter(cached[3])))
        cached[3][partner] = scores
        _cache["published"] = cached
    return ids, *scores


def score_projects_for(
    projects: Sequence[ProjectProfile], partner: PartnerProfile
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and confidences of one partner on many projects (vectorised)."""
    if not projects:
        return np.zeros(0), np.zeros(0)
    ps = score_pairs(projects, [partner], fx=fx_rates())
    return ps.score, ps.confidence


@dataclass(frozen=True)
class RankedPartner:
    partner_id: int
    name: str
    kind: str
    fit: ExplainedScore

    @property
    def components(self) -> list[dict]:
        return components_table(self.fit)


def rank_partners(
    project: ProjectProfile, partners: PartnerProfiles, *, limit: int = 15
) -> list[RankedPartner]:
    """The ``limit`` best partners for a project, each explained."""
    if not partners.profiles:
        return []
    ps = score_pairs([project], partners.profiles, fx=fx_rates())
    order = np.lexsort((np.arange(len(ps.score)), -ps.confidence, -ps.score))[:limit]
    ranked = []
    for i in order:
        profile = partners.profiles[int(ps.partner_index[i])]
        pid = int(profile.id)
        ranked.append(
            RankedPartner(pid, partners.names[pid], profile.kind, explain(project, profile))
        )
    return ranked
