"""A city's KPI values against targets: attainment, U4SSC bands and gaps (appraisal.kpi_gaps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.core.extensions import db
from app.models import Kpi, KpiTarget, KpiValue
from appraisal.analysis.kpi_gaps import assess, rollup


@dataclass(frozen=True)
class CityGaps:
    """Per-KPI assessment plus dimension, category and sector roll-ups of one city."""

    kpis: pd.DataFrame  # one row per KPI: code, name, category, sectors, value, target...
    categories: pd.DataFrame
    sectors: pd.DataFrame
    dimensions: pd.DataFrame

    def gap_by_code(self) -> dict[str, float]:
        scored = self.kpis.dropna(subset=["gap"])
        return dict(zip(scored["code"], scored["gap"], strict=True))


def choose_target(targets: list[KpiTarget], city_id: int, year: int) -> KpiTarget | None:
    """The city's own target if staff set one, else the published one for the nearest
    target year from ``year`` on (staged targets), else the latest published."""
    if not targets:
        return None
    own = [t for t in targets if t.city_id == city_id]
    pool = own or [t for t in targets if t.city_id is None]
    if not pool:
        return None
    ahead = sorted(
        (t for t in pool if t.target_year and t.target_year >= year), key=lambda t: t.target_year
    )
    if ahead:
        return ahead[0]
    undated = [t for t in pool if not t.target_year]
    return undated[0] if undated else max(pool, key=lambda t: t.target_year or 0)


def value_years(city_id: int) -> list[int]:
    """The years in which the city has KPI values, latest first."""
    return list(
        db.session.scalars(
            select(KpiValue.year)
            .where(KpiValue.city_id == city_id)
            .distinct()
            .order_by(KpiValue.year.desc())
        )
    )


def city_gaps(
    city_id: int,
    *,
    year: int | None = None,
    with_data_points: bool = False,
    as_of: int | None = None,
) -> CityGaps:
    """Assess every KPI of a city: its latest headline value against its target.

    ``with_data_points`` also lists each data point's latest value per KPI (for the
    profile page; the gap figures never use them). ``as_of`` keeps to values of that
    year and before (the profile as it stood then), assessed against the targets of
    that year.
    """
    year = year or as_of or date.today().year
    until = [KpiValue.year <= as_of] if as_of is not None else []
    kpis = list(db.session.scalars(select(Kpi).options(selectinload(Kpi.sectors)).order_by(Kpi.id)))
    values: dict[int, KpiValue] = {}
    for value in db.session.scalars(
        select(KpiValue)
        .where(KpiValue.city_id == city_id, KpiValue.data_point == "", *until)
        .order_by(KpiValue.year)
    ):
        values[value.kpi_id] = value  # the latest year wins
    points: dict[int, dict[str, KpiValue]] = {}
    if with_data_points:
        for value in db.session.scalars(
            select(KpiValue)
            .where(KpiValue.city_id == city_id, KpiValue.data_point != "", *until)
            .order_by(KpiValue.year)
        ):
            points.setdefault(value.kpi_id, {})[value.data_point] = value  # latest year wins
    targets: dict[int, list[KpiTarget]] = {}
    for target in db.session.scalars(
        select(KpiTarget).where(
            KpiTarget.data_point == "",
            or_(KpiTarget.city_id.is_(None), KpiTarget.city_id == city_id),
        )
    ):
        targets.setdefault(target.kpi_id, []).append(target)
    rows = []
    for kpi in kpis:
        value = values.get(kpi.id)
        target = choose_target(targets.get(kpi.id, []), city_id, year)
        direction = (target.direction if target else kpi.direction).value
        rows.append(
            {
                "kpi_id": kpi.id,
                "code": kpi.code,
                "name": kpi.name,
                "dimension": kpi.dimension,
                "category": kpi.category,
                "sectors": [s.name for s in kpi.sectors],
                "unit": kpi.unit,
                "value": value.value if value else None,
                "value_year": value.year if value else None,
                "value_source": value.source if value else None,
                "illustrative": bool(value and value.illustrative),
                "target": target.value if target else None,
                "target_year": target.target_year if target else None,
                # a published deadline already gone by (no later target is published)
                "target_passed": bool(target and target.target_year and target.target_year < year),
                "target_source": (target.source_title if target else None),
                "target_source_url": (target.source_url if target else None),
                "target_is_city_own": bool(target and target.city_id),
                "direction": direction,
                "data_points": [
                    {
                        "data_point": name,
                        "value": v.value,
                        "year": v.year,
                        "source": v.source,
                        "illustrative": v.illustrative,
                    }
                    for name, v in sorted(points.get(kpi.id, {}).items())
                ],  # fmt: skip
            }
        )
    assessed = assess(rows)
    return CityGaps(
        kpis=assessed,
        categories=rollup(assessed, "category"),
        sectors=rollup(assessed, "sectors"),
        dimensions=rollup(assessed, "dimension"),
    )
