"""Development levels of the platform's cities (matching.grouping over their profiles).

A city's profile is its mean KPI attainment per U4SSC dimension and per sector, from
the same per-KPI attainments as twinning (:func:`app.twinning.service.all_profiles`:
latest headline value against the target :func:`app.cities.gaps.choose_target` picks;
cities whose country has a World Bank income group). A dimension or sector in which
the city has no scored KPI is missing, not zero. Grouping 1,000 cities takes under a
second (benchmarks/bench_packages.py), so it is computed on each request.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.errors import InvalidInput
from app.core.extensions import db
from app.models import Kpi
from app.twinning.service import all_profiles
from matching.errors import InvalidProfileError
from matching.grouping import Grouping, group_cities

__all__ = ["CityLevels", "city_levels"]


@dataclass(frozen=True)
class CityLevels:
    """The grouping, the cities' names and KPI gaps, keyed by city id (str)."""

    grouping: Grouping
    names: dict[str, str]
    populations: dict[str, int | None]
    gaps: dict[str, dict[str, float]]  # city -> KPI code -> gap (1 - attainment)

    def members(self, level: int) -> list[tuple[str, str]]:
        """(id, name) of the members of ``level``, by name."""
        found = [(c, self.names[c]) for c in self.grouping.group(level).members]
        return sorted(found, key=lambda pair: pair[1])


def _features(attainment: dict[str, float], kpis: dict[str, Kpi]) -> dict[str, float]:
    buckets: dict[str, list[float]] = {}
    for code, share in attainment.items():
        kpi = kpis.get(code)
        if kpi is None:
            continue
        if kpi.dimension:
            buckets.setdefault(f"{kpi.dimension} (dimension)", []).append(share)
        for sector in kpi.sectors:
            buckets.setdefault(f"{sector.name} (sector)", []).append(share)
    return {feature: fmean(values) for feature, values in buckets.items()}


def city_levels() -> CityLevels:
    """Group every profiled city; InvalidInput says what is missing when none can be."""
    profiles = all_profiles()
    kpis = {
        k.code: k for k in db.session.scalars(sa.select(Kpi).options(selectinload(Kpi.sectors)))
    }
    features = {cid: _features(dict(p.attainment), kpis) for cid, p in profiles.items()}
    if len(features) < 2:
        raise InvalidInput(
            f"{len(features)} city has KPI values against targets; grouping needs at least "
            "two. Enter KPI values (KPI data) for more cities first."
        )
    try:
        grouping = group_cities(features)
    except InvalidProfileError as error:
        raise InvalidInput(str(error)) from None
    names, populations, gaps = {}, {}, {}
    for cid, profile in profiles.items():
        names[cid] = profile.name or cid
        populations[cid] = int(profile.population) if profile.population else None
        gaps[cid] = {code: round(1 - share, 12) for code, share in profile.attainment.items()}
    return CityLevels(grouping=grouping, names=names, populations=populations, gaps=gaps)
