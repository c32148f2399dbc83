"""A city's profile: KPI values against targets, U4SSC bands, scores, gaps and the
city's own targets (set by staff, audited).

Who sees what: staff see every city with suggestions and target editing; a city
committee sees its own profile with suggestions and every other city's published
KPI data (never another city's draft projects); a partner sees published KPI data
and published projects only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.cities.gaps import CityGaps, choose_target, city_gaps, value_years
from app.cities.suggestions import Suggestion, suggestions_by_kpi
from app.core.audit import record
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import can_see_city_drafts, require_role, require_staff
from app.models import City, Direction, Kpi, KpiTarget, Project, Role, User
from appraisal.analysis.kpi_gaps import BANDS

__all__ = [
    "BAND_LABELS",
    "CityProfile",
    "GapsPage",
    "TargetEditor",
    "city_gap_list",
    "city_profile",
    "remove_city_target",
    "set_city_target",
    "target_editor",
    "target_stamp",
]

BAND_LABELS = {points: label for _, points, label in BANDS}
NEW_TARGET = "new"
#: The band filter of the KPI list: a U4SSC band's points, or 0 for KPIs not scored.
BAND_FILTERS = {0: "not scored", **BAND_LABELS}


@dataclass(frozen=True)
class CityProfile:
    """Everything the profile page shows, already filtered for the viewer."""

    city: City
    groups: list[tuple[str, list[tuple[str, list[dict]]]]]  # dimension -> category -> rows
    categories: list[dict]
    sectors: list[dict]
    projects: list[Project]
    dimensions: list[dict] = field(default_factory=list)  # the U4SSC dimensions' roll-up
    suggestions: dict[int, list[Suggestion]] = field(default_factory=dict)
    can_edit_targets: bool = False
    can_see_suggestions: bool = False
    can_formulate: bool = False
    can_report: bool = False
    kpis_with_value: int = 0
    kpis_scored: int = 0
    as_of: int | None = None  # the profile as it stood in that year; None: the latest
    years: list[int] = field(default_factory=list)  # years with values, latest first
    dimension_names: list[str] = field(default_factory=list)  # every dimension, in order
    shown: dict = field(default_factory=dict)  # the KPI list's filters: dimension, band


@dataclass(frozen=True)
class GapsPage:
    city: City
    gaps: list[dict]
    suggestions: dict[int, list[Suggestion]]
    can_formulate: bool


@dataclass(frozen=True)
class TargetEditor:
    city: City
    kpi: Kpi
    own: KpiTarget | None
    published: list[KpiTarget]
    current: dict | None
    stamp: str


def _city(city_id: int) -> City:
    city = db.session.scalar(
        select(City).where(City.id == city_id).options(selectinload(City.country))
    )
    if city is None:
        raise NotFound(f"There is no city {city_id}. Pick one from the list of cities.")
    return city


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _rows(gaps: CityGaps) -> list[dict]:
    rows = []
    for raw in gaps.kpis.to_dict("records"):
        row = {key: _clean(value) for key, value in raw.items()}
        for name in ("band", "value_year", "target_year"):
            row[name] = int(row[name]) if row[name] is not None else None
        row["band_label"] = BAND_LABELS.get(row["band"], "not scored")
        row["measured"] = row["value"] is not None or bool(row.get("data_points"))
        rows.append(row)
    return rows


def _rollup(frame: pd.DataFrame, name: str) -> list[dict]:
    table = []
    for key, raw in frame.sort_index().iterrows():
        row = {k: _clean(v) for k, v in raw.items()}
        table.append(
            {
                name: key,
                "points": row.get("points") or 0.0,
                "max_points": row.get("max_points") or 0.0,
                "score": row.get("score"),
                "mean_gap": row.get("mean_gap"),
                "kpis_scored": int(row.get("kpis_scored") or 0),
                "kpis": int(row.get("kpis") or 0),
            }
        )
    return table


def _group(rows: list[dict]) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    dimensions: dict[str, dict[str, list[dict]]] = {}
    for row in rows:
        dimensions.setdefault(row["dimension"], {}).setdefault(row["category"], []).append(row)
    return [(dim, list(categories.items())) for dim, categories in dimensions.items()]


def _visible_projects(user: User, city_id: int) -> list[Project]:
    query = select(Project).where(Project.city_id == city_id)
    if not can_see_city_drafts(user, city_id):
        query = query.where(Project.published.is_(True))
    return list(
        db.session.scalars(query.options(selectinload(Project.sector)).order_by(Project.id))
    )


def _gap_map(rows: list[dict]) -> dict[str, float]:
    return {row["code"]: row["gap"] for row in rows if row["gap"] is not None}


def _shown(row: dict, dimension: str | None, band: int | None) -> bool:
    """Whether the KPI list's filters keep ``row`` (band 0: not scored)."""
    if dimension and row["dimension"] != dimension:
        return False
    return band is None or (row["band"] or 0) == band


def city_profile(
    user: User,
    city_id: int,
    *,
    as_of: int | None = None,
    dimension: str | None = None,
    band: int | None = None,
) -> CityProfile:
    """The profile of a city as ``user`` may see it (``as_of``: as it stood in that year);
    its KPI list kept to one ``dimension`` and one U4SSC ``band`` (0: not scored) when
    given."""
    require_role(user, Role.STAFF, Role.CITY, Role.PARTNER)
    city = _city(city_id)
    years = value_years(city_id)
    if as_of is not None and years and as_of >= years[0]:
        as_of = None  # the latest values are the profile of today
    gaps = city_gaps(city_id, with_data_points=True, as_of=as_of)
    rows = _rows(gaps)
    own = can_see_city_drafts(user, city_id)
    suggestions = {}
    if own:
        gapped = [row["kpi_id"] for row in rows if (row["gap"] or 0) > 0]
        suggestions = suggestions_by_kpi(gapped, _gap_map(rows), city.population)
    return CityProfile(
        city=city,
        groups=_group([row for row in rows if _shown(row, dimension, band)]),
        categories=_rollup(gaps.categories, "category"),
        sectors=_rollup(gaps.sectors, "sector"),
        dimensions=_rollup(gaps.dimensions, "dimension"),
        projects=_visible_projects(user, city_id),
        suggestions=suggestions,
        can_edit_targets=user.role is Role.STAFF,
        can_see_suggestions=own,
        can_formulate=user.role is Role.STAFF,
        can_report=own,
        kpis_with_value=sum(1 for row in rows if row["value"] is not None),
        kpis_scored=sum(1 for row in rows if row["band"] is not None),
        as_of=as_of,
        years=years,
        dimension_names=list(dict.fromkeys(row["dimension"] for row in rows)),
        shown={"dimension": dimension, "band": band},
    )


def city_gap_list(user: User, city_id: int, *, limit: int = 15) -> GapsPage:
    """The city's largest gaps (largest first) with suggested solutions for each."""
    require_role(user, Role.STAFF, Role.CITY)
    if not can_see_city_drafts(user, city_id):
        require_staff(user)  # a committee sees the suggestions for its own city only
    city = _city(city_id)
    rows = _rows(city_gaps(city_id))
    gapped = sorted(
        (row for row in rows if (row["gap"] or 0) > 0), key=lambda r: (-r["gap"], r["code"])
    )[:limit]
    suggestions = suggestions_by_kpi(
        [row["kpi_id"] for row in gapped], _gap_map(rows), city.population, per_kpi=5
    )
    return GapsPage(city, gapped, suggestions, can_formulate=user.role is Role.STAFF)


# --- the city's own targets -------------------------------------------------------------


def target_stamp(target: KpiTarget | None) -> str:
    """What the edit form carries to detect a stale or duplicate save."""
    if target is None:
        return NEW_TARGET
    return f"{target.id}:{target.updated_at.isoformat()}"


def _targets(city_id: int, kpi_id: int) -> tuple[KpiTarget | None, list[KpiTarget]]:
    rows = list(
        db.session.scalars(
            select(KpiTarget)
            .where(KpiTarget.kpi_id == kpi_id, KpiTarget.data_point == "")
            .order_by(KpiTarget.target_year)
        )
    )
    own = [t for t in rows if t.city_id == city_id]
    published = [t for t in rows if t.city_id is None]
    return choose_target(own, city_id, date.today().year), published


def _kpi(kpi_id: int) -> Kpi:
    kpi = db.session.get(Kpi, kpi_id)
    if kpi is None:
        raise NotFound(f"There is no KPI {kpi_id}.")
    return kpi


def target_editor(user: User, city_id: int, kpi_id: int) -> TargetEditor:
    """What the target form needs: the city's own target, the published ones, the row."""
    require_staff(user)
    city, kpi = _city(city_id), _kpi(kpi_id)
    own, published = _targets(city_id, kpi_id)
    current = next((r for r in _rows(city_gaps(city_id)) if r["kpi_id"] == kpi_id), None)
    return TargetEditor(city, kpi, own, published, current, target_stamp(own))


def _check_stamp(own: KpiTarget | None, stamp: str | None) -> None:
    if stamp == target_stamp(own):
        return
    if own is not None and stamp == NEW_TARGET:
        raise Conflict(
            "Someone else set a target for this KPI and city since you opened the form "
            f"(now {own.value:g}, year {own.target_year or 'none'}). Reload the page to see "
            "it, then change it if needed; nothing of yours was saved."
        )
    raise Conflict(
        "This city's target for the KPI was changed or removed by someone else since you "
        "opened the form. Reload the page to see the saved target, then make your change "
        "again; nothing of yours was saved."
    )


def _as_dict(target: KpiTarget | None) -> dict | None:
    if target is None:
        return None
    return {
        "value": target.value,
        "target_year": target.target_year,
        "direction": target.direction.value,
        "source_title": target.source_title,
        "source_url": target.source_url,
    }


def set_city_target(
    user: User, city_id: int, kpi_id: int, data: Mapping, *, stamp: str | None
) -> KpiTarget:
    """Set (or replace) the city's own target for a KPI; it then takes precedence.

    ``data`` holds value, target_year, direction, source_title (the justification,
    required) and optionally source_url; ``stamp`` is what the form was rendered with.
    """
    require_staff(user)
    city, kpi = _city(city_id), _kpi(kpi_id)
    justification = (data.get("source_title") or "").strip()
    if not justification:
        raise InvalidInput("Say where the target comes from or why it is right for this city.")
    try:
        direction = Direction(data.get("direction"))
        value = float(data["value"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("Give the target as a number and a direction from the list.") from None
    if not math.isfinite(value):
        raise InvalidInput("The target must be a finite number.")
    own, _ = _targets(city_id, kpi_id)
    _check_stamp(own, stamp)
    before = _as_dict(own)
    target = own or KpiTarget(kpi_id=kpi.id, city_id=city.id, data_point="")
    target.value = value
    target.unit = kpi.unit
    target.direction = direction
    target.target_year = data.get("target_year")
    target.source_title = justification
    target.source_url = (data.get("source_url") or "").strip() or None
    target.confidence = "city-set"
    target.set_by_id = user.id
    db.session.add(target)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "Someone else saved a target for this KPI and city at the same moment; nothing "
            "of yours was saved. Reload the page and check it."
        ) from None
    record(
        "update" if before else "create",
        "kpi_target",
        target.id,
        {"city_id": city.id, "kpi": kpi.code, "from": before, "to": _as_dict(target)},
        user_id=user.id,
    )
    db.session.commit()
    return target


def remove_city_target(user: User, city_id: int, kpi_id: int, *, stamp: str | None) -> None:
    """Remove the city's own target; the published target (if any) applies again."""
    require_staff(user)
    city, kpi = _city(city_id), _kpi(kpi_id)
    own, _ = _targets(city_id, kpi_id)
    if own is None:
        raise NotFound(f"{city.name} has no target of its own for {kpi.code}: nothing to remove.")
    _check_stamp(own, stamp)
    record(
        "delete",
        "kpi_target",
        own.id,
        {"city_id": city.id, "kpi": kpi.code, "from": _as_dict(own), "to": None},
        user_id=user.id,
    )
    db.session.delete(own)
    db.session.commit()
