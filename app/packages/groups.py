"""Development levels of the platform's cities (matching.grouping over their profiles).

A city's profile is its mean KPI attainment per U4SSC dimension and per sector, from
the same per-KPI attainments as twinning (:func:`app.twinning.service.all_profiles`:
latest headline value against the target :func:`app.cities.gaps.choose_target` picks;
cities whose country has a World Bank income group). A dimension or sector in which
the city has no scored KPI is missing, not zero.

The grouping runs as a job (kind "package_grouping", :func:`start_grouping`) and is
kept (PackageGrouping) with its date and the data it was made on (cities, years of the
KPI values), so every page and every package reads the same grouping until staff run
it again. Without Redis the job runs in this process, like every job of the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.jobs import submit
from app.core.permissions import require_staff
from app.models import Job, JobStatus, Kpi, KpiValue, PackageGrouping, User
from app.twinning.service import all_profiles
from matching.errors import InvalidProfileError
from matching.grouping import Grouping, group_cities, grouping_from_dict, grouping_to_dict

__all__ = [
    "JOB_KIND",
    "CityLevels",
    "city_levels",
    "compute_levels",
    "grouping_job",
    "running_grouping",
    "start_grouping",
]

JOB_KIND = "package_grouping"


@dataclass(frozen=True)
class CityLevels:
    """The grouping, the cities' names and KPI gaps, keyed by city id (str)."""

    grouping: Grouping
    names: dict[str, str]
    populations: dict[str, int | None]
    gaps: dict[str, dict[str, float]]  # city -> KPI code -> gap (1 - attainment)
    made_at: datetime | None = None
    data_note: str = ""

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


def compute_levels() -> CityLevels:
    """Group every profiled city now; InvalidInput says what is missing when none can be."""
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
        gaps[cid] = {code: round(1 - share, 6) for code, share in profile.attainment.items()}
    return CityLevels(grouping=grouping, names=names, populations=populations, gaps=gaps)


def _kpi_years(city_ids: list[int]) -> tuple[int | None, int | None, int]:
    """Earliest and latest year among the latest headline values used, and their count."""
    latest = (
        sa.select(KpiValue.city_id, KpiValue.kpi_id, sa.func.max(KpiValue.year).label("year"))
        .where(KpiValue.data_point == "", KpiValue.city_id.in_(city_ids or [0]))
        .group_by(KpiValue.city_id, KpiValue.kpi_id)
        .subquery()
    )
    low, high, count = db.session.execute(
        sa.select(sa.func.min(latest.c.year), sa.func.max(latest.c.year), sa.func.count())
    ).one()
    return low, high, int(count)


def grouping_job(params: dict, progress) -> dict:
    """The job kind "package_grouping": group the cities now and keep the grouping."""
    progress(0.1, "reading the cities' KPI profiles")
    levels = compute_levels()
    progress(0.8, "keeping the grouping")
    placed = sorted(int(c) for c in levels.grouping.level_of)
    low, high, values = _kpi_years(placed)
    row = PackageGrouping(
        created_by_id=params.get("user_id"),
        cities=len(placed),
        levels=len(levels.grouping.groups),
        kpi_year_from=low,
        kpi_year_to=high,
        kpi_values=values,
        result={
            "grouping": grouping_to_dict(levels.grouping),
            "names": levels.names,
            "populations": levels.populations,
            "gaps": levels.gaps,
        },
    )
    db.session.add(row)
    db.session.flush()
    summary = {"cities": row.cities, "levels": row.levels, "kpi_years": [low, high]}
    record("group_cities", "package_grouping", row.id, summary, user_id=params.get("user_id"))
    db.session.commit()
    message = f"{row.cities:,} cities in {row.levels} development levels"
    progress(1.0, message)
    return summary | {"result_url": "/packages"}


def start_grouping(user: User) -> Job:
    """Staff: group the cities again, as a job with a status page."""
    require_staff(user)
    return submit(JOB_KIND, {"user_id": user.id}, user, title="Group the cities by KPI profile")


def running_grouping() -> Job | None:
    """A grouping job queued or running now, if any."""
    return db.session.scalar(
        sa.select(Job)
        .where(Job.kind == JOB_KIND, Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
        .order_by(Job.created_at.desc())
        .limit(1)
    )


def _data_note(row: PackageGrouping) -> str:
    if row.kpi_year_from is None:
        years = "no dated KPI values"
    elif row.kpi_year_from == row.kpi_year_to:
        years = f"KPI values of {row.kpi_year_to}"
    else:
        years = f"KPI values of {row.kpi_year_from} to {row.kpi_year_to}"
    return (
        f"{row.cities:,} cities, {row.kpi_values:,} latest headline {years} "
        "(the latest year of each KPI per city)"
    )


def city_levels() -> CityLevels:
    """The latest kept grouping; InvalidInput says how to make one when there is none."""
    row = db.session.scalar(sa.select(PackageGrouping).order_by(PackageGrouping.id.desc()).limit(1))
    if row is None:
        raise InvalidInput(
            "The cities have not been grouped yet: staff run the grouping on /packages."
        )
    try:
        grouping = grouping_from_dict(row.result["grouping"])
    except (InvalidProfileError, KeyError, TypeError) as error:
        raise InvalidInput(f"The kept grouping cannot be read ({error}); run it again.") from None
    return CityLevels(
        grouping=grouping,
        names=dict(row.result["names"]),
        populations=dict(row.result["populations"]),
        gaps=dict(row.result["gaps"]),
        made_at=row.created_at,
        data_note=_data_note(row),
    )
