"""Twin cities (staff): mentor and mentee profiles from KPI attainment, suggestions,
an optimal cohort pairing under mentor capacities, saved Twinning rows and the graph.

Roles follow the World Bank income group of the city's country: high income ->
mentor; low, lower-middle and upper-middle income -> mentee. A mentee's targeted gaps
are the KPIs its projects address; a mentee without projects targets its
:data:`LARGEST_GAPS` largest gaps. Attainment per KPI is the same computation as the
city profile's (:func:`appraisal.analysis.kpi_gaps.attainment` against the target
:func:`app.cities.gaps.choose_target` picks).

Speed: every profile comes from four bulk queries (cities, all headline KPI values,
targets, project KPIs) and is cached in this process until those tables change.
Scoring takes about 0.2 to 0.5 ms per mentor-mentee pair, so cohorts of up to
:data:`INLINE_PAIRS` pairs are computed within the request and larger ones run as a
job (kind "twinning_cohort") whose result the page then shows.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa

from app.cities.gaps import choose_target
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.jobs import submit
from app.core.permissions import require_staff
from app.models import (
    City,
    Country,
    Job,
    JobStatus,
    Kpi,
    KpiTarget,
    KpiValue,
    Project,
    Stage,
    User,
)
from app.models.project import project_kpi
from app.partners.matchmaking import app_cache
from app.twinning.pairings import keep_pairing, saved_pairs
from appraisal.analysis.kpi_gaps import attainment
from matching.assignment import Assignment
from matching.graphs import to_node_link_json, write_graphml
from matching.twinning import (
    CityProfile,
    TwinSuggestion,
    pair_cohort,
    suggest_twins,
    twin_graph,
    twin_score,
)

__all__ = [
    "INLINE_PAIRS",
    "LARGEST_GAPS",
    "Cohort",
    "cohort_result",
    "cohort_url",
    "graph_export",
    "region_choices",
    "result_graph",
    "saved_pairs",
    "save_pairing",
    "start_cohort_job",
    "twinning_page",
]

LARGEST_GAPS = 5
INLINE_PAIRS = 1_000
_MENTEE_GROUPS = ("Low income", "Lower middle income", "Upper middle income")
_lock = threading.Lock()


@dataclass(frozen=True)
class Cohort:
    """Which cities take part and how: region and name filters, mentor capacity, k."""

    region: str | None = None
    q: str | None = None
    capacity: int = 2
    k: int = 3

    def params(self) -> dict:
        return {"region": self.region, "q": self.q, "capacity": self.capacity, "k": self.k}


def region_choices() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Country.wb_region)
            .where(Country.wb_region.is_not(None))
            .distinct()
            .order_by(Country.wb_region)
        )
    )


def _fingerprint() -> tuple:
    parts = [
        sa.select(sa.func.count(KpiValue.id), sa.func.max(KpiValue.id)),
        sa.select(sa.func.count(KpiTarget.id), sa.func.max(KpiTarget.updated_at)),
        sa.select(sa.func.count(City.id), sa.func.max(City.id)),
        sa.select(sa.func.count()).select_from(project_kpi),
    ]
    values: tuple = ()
    for part in parts:
        values += tuple(db.session.execute(part).one())
    return (*values, str(db.engine.url))


def all_profiles() -> dict[str, CityProfile]:
    """Every classified city with KPI values, as a CityProfile (cached, see the module)."""
    key = _fingerprint()
    _cache = app_cache("twinning")
    with _lock:
        if _cache.get("key") == key:
            return _cache["profiles"]
    profiles = _build_profiles()
    with _lock:
        _cache.update(key=key, profiles=profiles)
    return profiles


def _named(reasons, names: dict[str, str]) -> list[str]:
    """Reasons with each KPI named beside its code ("EN: EN: WS: 4C Wastewater ... (95%
    of target)"): the pure scorer knows the codes only."""
    out = []
    for reason in reasons:
        for code, name in names.items():
            reason = reason.replace(f"{code} (", f"{code} {name} (")
        out.append(reason)
    return out


def _build_profiles() -> dict[str, CityProfile]:
    year = date.today().year
    kpis = {k.id: k for k in db.session.scalars(sa.select(Kpi))}
    latest: dict[tuple[int, int], float] = {}
    for city_id, kpi_id, value in db.session.execute(
        sa.select(KpiValue.city_id, KpiValue.kpi_id, KpiValue.value)
        .where(KpiValue.data_point == "")
        .order_by(KpiValue.year)
    ):
        latest[(city_id, kpi_id)] = value  # the latest year wins
    targets: dict[int, list[KpiTarget]] = {}
    for target in db.session.scalars(sa.select(KpiTarget).where(KpiTarget.data_point == "")):
        targets.setdefault(target.kpi_id, []).append(target)
    addressed: dict[int, set[str]] = {}
    for city_id, kpi_id in db.session.execute(
        sa.select(Project.city_id, project_kpi.c.kpi_id)
        .join(project_kpi, project_kpi.c.project_id == Project.id)
        .where(Project.stage != Stage.DROPPED)
    ):
        addressed.setdefault(city_id, set()).add(kpis[kpi_id].code)
    shares: dict[int, dict[str, float]] = {}
    for (city_id, kpi_id), value in latest.items():
        kpi = kpis[kpi_id]
        target = choose_target(targets.get(kpi_id, []), city_id, year)
        if target is None:
            continue
        share, _ = attainment(value, target.value, target.direction.value, unit=kpi.unit)
        if share is not None:
            shares.setdefault(city_id, {})[kpi.code] = share
    profiles = {}
    for row in db.session.execute(
        sa.select(
            City.id,
            City.name,
            City.population,
            City.language,
            City.latitude,
            City.longitude,
            Country.income_group,
            Country.wb_region,
        )
        .join(Country, Country.id == City.country_id)
        .where(Country.income_group.is_not(None))
    ):
        city_id, name, population, language, lat, lon, group, region = row
        if city_id not in shares:
            continue
        own = shares[city_id]
        mentee = group in _MENTEE_GROUPS
        targeted = addressed.get(city_id, set()) if mentee else set()
        if mentee and not targeted:
            gaps = sorted((s, code) for code, s in own.items() if s < 0.95)
            targeted = {code for _, code in gaps[:LARGEST_GAPS]}
        profiles[str(city_id)] = CityProfile(
            str(city_id),
            group,
            own,
            targeted_gaps=frozenset(targeted),
            population=float(population) if population else None,
            region=region,
            languages=frozenset({language}) if language else frozenset(),
            lat=lat,
            lon=lon,
            name=name,
        )
    return profiles


def cohort_profiles(cohort: Cohort) -> list[CityProfile]:
    chosen = []
    for profile in all_profiles().values():
        if cohort.region and profile.region != cohort.region:
            continue
        if cohort.q and cohort.q.lower() not in (profile.name or "").lower():
            continue
        chosen.append(profile)
    return chosen


def _count_pairs(profiles: list[CityProfile]) -> tuple[int, int]:
    mentors = sum(p.role == "mentor" for p in profiles)
    return mentors, len(profiles) - mentors


def cohort_result(profiles: list[CityProfile], cohort: Cohort) -> dict:
    """Suggestions, pairing and the graph of a cohort, as JSON-ready data."""
    mentors, mentees = _count_pairs(profiles)
    if not mentors or not mentees:
        raise InvalidInput(
            f"This cohort has {mentors} mentor and {mentees} mentee cities with KPI data; "
            "twinning needs at least one of each. Widen the region or the name filter."
        )
    suggestions = suggest_twins(profiles, k=cohort.k)
    pairing = pair_cohort(profiles, capacity=cohort.capacity)
    paired = {a.project for a in pairing}
    names = dict(db.session.execute(sa.select(Kpi.code, Kpi.name)).all())
    fits = {
        (s.city, s.twin): _named(s.reasons, names) for found in suggestions.values() for s in found
    }
    by_id = {p.id: p for p in profiles}
    for a in pairing:  # a pair outside the mentee's top k is explained as well
        if (a.project, a.partner) not in fits:
            fit = twin_score(by_id[a.partner], by_id[a.project])
            fits[(a.project, a.partner)] = _named(fit.reasons, names)
    return {
        "cohort": cohort.params(),
        "cities": {
            p.id: {
                "name": p.name,
                "role": p.role,
                "income_group": p.income_group,
                "region": p.region,
                "population": p.population,
                "languages": sorted(p.languages),
                "lat": p.lat,
                "lon": p.lon,
                "targeted_gaps": sorted(p.targeted_gaps),
                "kpis_known": len(p.attainment),
            }
            for p in profiles
        },
        "suggestions": {
            city: [
                {
                    "twin": s.twin,
                    "score": s.score,
                    "confidence": s.confidence,
                    "reasons": fits[(city, s.twin)],
                }
                for s in found
            ]
            for city, found in suggestions.items()
        },
        "pairing": [
            {
                "mentee": a.project,
                "mentor": a.partner,
                "score": a.score,
                "reasons": list(fits[(a.project, a.partner)]),
            }
            for a in pairing
        ],
        "unpaired": sorted(p.id for p in profiles if p.role == "mentee" and p.id not in paired),
        "counts": {"mentors": mentors, "mentees": mentees},
    }


def result_graph(result: dict):
    """The networkx graph of a stored result (for the picture and the downloads)."""
    profiles = [
        CityProfile(
            cid,
            c["income_group"],
            targeted_gaps=frozenset(c["targeted_gaps"]),
            population=c["population"],
            region=c["region"],
            languages=frozenset(c["languages"]),
            lat=c["lat"],
            lon=c["lon"],
            name=c["name"],
        )
        for cid, c in result["cities"].items()
    ]
    suggestions = {
        city: [
            TwinSuggestion(city, s["twin"], s["score"], s["confidence"], tuple(s["reasons"]))
            for s in found
        ]
        for city, found in result["suggestions"].items()
    }
    pairing = [Assignment(p["mentee"], p["mentor"], p["score"]) for p in result["pairing"]]
    return twin_graph(profiles, suggestions, pairing=pairing)


def twinning_page(user: User, cohort: Cohort) -> dict:
    """The page's data: the cohort's result, computed now when small enough; for a large
    cohort the newest background computation of the same cohort, if any."""
    require_staff(user)
    profiles = cohort_profiles(cohort)
    mentors, mentees = _count_pairs(profiles)
    base = {"mentors": mentors, "mentees": mentees, "pairs": mentors * mentees}
    if mentors * mentees > INLINE_PAIRS:
        job = _latest_job(cohort)
        result = job.result["twinning"] if job else None
        return base | {"too_large": True, "result": result, "job": job}
    return base | {"too_large": False, "result": cohort_result(profiles, cohort), "job": None}


def _latest_job(cohort: Cohort) -> Job | None:
    wanted = cohort.params()
    for job in db.session.scalars(
        sa.select(Job)
        .where(Job.kind == "twinning_cohort", Job.status == JobStatus.DONE)
        .order_by(Job.finished_at.desc())
        .limit(50)
    ):
        if {k: (job.params or {}).get(k) for k in wanted} == wanted and job.result:
            return job
    return None


def cohort_url(cohort: Cohort) -> str:
    return "/twinning?" + urlencode({k: v for k, v in cohort.params().items() if v})


def start_cohort_job(user: User, cohort: Cohort):
    require_staff(user)
    params = cohort.params() | {"user_id": user.id}
    return submit("twinning_cohort", params, user, title="Twin cities: suggestions and pairing")


def run_cohort_job(params: dict, progress) -> dict:
    cohort = Cohort(params.get("region"), params.get("q"), params["capacity"], params["k"])
    progress(0.1, "building city profiles")
    profiles = cohort_profiles(cohort)
    progress(0.3, "scoring mentor-mentee pairs and pairing the cohort")
    result = cohort_result(profiles, cohort)
    saved = keep_pairing(result, params.get("user_id"))
    return {"twinning": result, "saved": saved, "result_url": cohort_url(cohort)}


def save_pairing(user: User, cohort: Cohort) -> int:
    """Compute the cohort's pairing and keep it as Twinning rows (status proposed)."""
    require_staff(user)
    profiles = cohort_profiles(cohort)
    mentors, mentees = _count_pairs(profiles)
    if mentors * mentees > INLINE_PAIRS:
        raise InvalidInput(
            "This cohort is too large to pair while you wait; run it in the background "
            "(it saves the pairing when it finishes)."
        )
    return keep_pairing(cohort_result(profiles, cohort), user.id)


def graph_export(user: User, cohort: Cohort, fmt: str) -> bytes:
    """The cohort's graph as node-link JSON or GraphML bytes."""
    page = twinning_page(user, cohort)
    if page["result"] is None:
        raise InvalidInput("This cohort is too large to compute now: run it in the background.")
    graph = result_graph(page["result"])
    if fmt == "json":
        return to_node_link_json(graph).encode()
    buffer = io.BytesIO()
    write_graphml(graph, buffer)
    return buffer.getvalue()
