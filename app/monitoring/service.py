"""Yearly progress reports (per city or per project) and a city's KPI trajectory.

Staff see and file reports for every city; a city committee sees and files its own
city's; partners have no access. A report is unique per (city, project, year), the
city-wide report having no project (checked here, as SQL treats NULLs as distinct).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.cities.gaps import choose_target, city_gaps
from app.core.audit import record
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.numbers import PERCENT, QUANTITY, NumberError, read_number
from app.core.pagination import Page, paginate
from app.core.permissions import can_see_city_drafts, require_role
from app.models import (
    City,
    Kpi,
    KpiActual,
    KpiTarget,
    KpiValue,
    ProgressReport,
    Project,
    Role,
    User,
)

__all__ = [
    "STATUSES",
    "DuplicateReport",
    "ReportSetup",
    "Trajectory",
    "file_report",
    "get_report",
    "list_reports",
    "report_setup",
    "trajectory",
]

STATUSES = {
    "on_track": "On track",
    "delayed": "Delayed",
    "at_risk": "At risk",
    "completed": "Completed",
}
FIRST_YEAR, LAST_YEAR = 2000, 2100
DEFAULT_CITY_KPIS = 5


class DuplicateReport(Conflict):
    """A report for this city, project and year exists already."""


@dataclass(frozen=True)
class ReportSetup:
    """What the progress form needs: the city, its projects, the KPI rows."""

    city: City
    projects: list[Project]
    project: Project | None
    kpis: list[Kpi]
    all_kpis: list[Kpi]


@dataclass(frozen=True)
class Trajectory:
    city: City
    kpi: Kpi | None
    kpis: list[Kpi]
    values: list[KpiValue]
    actuals: list[tuple[ProgressReport, KpiActual]]
    target: KpiTarget | None


def _city_for(user: User, city_id: int) -> City:
    require_role(user, Role.STAFF, Role.CITY)
    city = db.session.scalar(
        select(City).where(City.id == city_id).options(selectinload(City.country))
    )
    if city is None:
        raise NotFound(f"There is no city {city_id}.")
    if not can_see_city_drafts(user, city_id):
        raise PermissionDenied("Progress reports are kept by staff and the city's own committee.")
    return city


def list_reports(
    user: User,
    *,
    page: int = 1,
    size: int = 50,
    city_id: int | None = None,
    city_name: str = "",
    year: int | None = None,
) -> Page:
    """Reports the user may see, newest first: staff all (filterable by city or a part
    of its name, and year), a city its own."""
    require_role(user, Role.STAFF, Role.CITY)
    query = select(ProgressReport).options(
        selectinload(ProgressReport.city),
        selectinload(ProgressReport.project),
        selectinload(ProgressReport.actuals),
    )
    if user.role is Role.CITY:
        query = query.where(ProgressReport.city_id == user.city_id)
    elif city_id:
        query = query.where(ProgressReport.city_id == city_id)
    elif city_name:
        query = query.join(ProgressReport.city).where(
            func.lower(City.name).contains(city_name.lower())
        )
    if year:
        query = query.where(ProgressReport.year == year)
    order = (ProgressReport.year.desc(), ProgressReport.city_id, ProgressReport.id.desc())
    return paginate(query.order_by(*order), page, size)


def get_report(user: User, report_id: int) -> ProgressReport:
    report = db.session.scalar(
        select(ProgressReport)
        .where(ProgressReport.id == report_id)
        .options(
            selectinload(ProgressReport.city).selectinload(City.country),
            selectinload(ProgressReport.project),
            selectinload(ProgressReport.actuals).selectinload(KpiActual.kpi),
        )
    )
    if report is None:
        raise NotFound(f"There is no progress report {report_id}.")
    _city_for(user, report.city_id)
    return report


def _city_projects(city_id: int) -> list[Project]:
    return list(
        db.session.scalars(
            select(Project)
            .where(Project.city_id == city_id)
            .options(selectinload(Project.kpis))
            .order_by(Project.title)
        )
    )


def report_setup(
    user: User, city_id: int, *, project_id: int | None = None, kpi_ids: Iterable[int] = ()
) -> ReportSetup:
    """The KPI rows of a new report: the project's KPIs, or the chosen ones for a city
    report (by default the city's largest gaps)."""
    city = _city_for(user, city_id)
    projects = _city_projects(city_id)
    all_kpis = list(db.session.scalars(select(Kpi).order_by(Kpi.code)))
    project = None
    if project_id:
        project = next((p for p in projects if p.id == project_id), None)
        if project is None:
            raise NotFound(f"{city.name} has no project {project_id}.")
        kpis = sorted(project.kpis, key=lambda k: k.code)
    else:
        wanted = {int(k) for k in kpi_ids}
        if not wanted:
            frame = city_gaps(city_id).kpis.dropna(subset=["gap"])
            frame = frame[frame["gap"] > 0].sort_values(["gap", "code"], ascending=[False, True])
            wanted = set(frame["kpi_id"].head(DEFAULT_CITY_KPIS).astype(int))
        kpis = [k for k in all_kpis if k.id in wanted]
    return ReportSetup(city, projects, project, kpis, all_kpis)


def _number(value, what: str, unit: str | None) -> float | None:
    """A planned or actual value read the one way (finite, in range; 0-100 for a %)."""
    spec = PERCENT if (unit or "").strip() == "%" else QUANTITY
    try:
        number = read_number(value, spec)
    except NumberError as error:
        raise InvalidInput(f"{what}: {error}") from None
    return None if number is None else float(number)


def file_report(
    user: User,
    city_id: int,
    *,
    project_id: int | None,
    year: int,
    status: str,
    narrative: str,
    actuals: Sequence[tuple[int, float | None, float | None]],
) -> ProgressReport:
    """File the yearly report of a city (``project_id`` None) or one of its projects.

    ``actuals`` are (kpi_id, planned, actual); rows with neither value are skipped.
    """
    city = _city_for(user, city_id)
    if status not in STATUSES:
        raise InvalidInput(f"Choose a status from: {', '.join(STATUSES.values())}.")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"The year must be between {FIRST_YEAR} and {LAST_YEAR}.")
    if year > date.today().year + 1:
        raise InvalidInput(f"A progress report cannot be filed for {year} yet.")
    if not (narrative or "").strip():
        raise InvalidInput("Describe the progress of the year in a few sentences.")
    project = None
    if project_id:
        project = db.session.get(Project, project_id)
        if project is None or project.city_id != city_id:
            raise NotFound(f"{city.name} has no project {project_id}.")
    existing = db.session.scalar(
        select(ProgressReport.id).where(
            ProgressReport.city_id == city_id,
            ProgressReport.year == year,
            ProgressReport.project_id == project_id
            if project_id
            else ProgressReport.project_id.is_(None),
        )
    )
    what = f"the project '{project.title}'" if project else city.name
    if existing:
        raise DuplicateReport(
            f"A progress report for {what} in {year} exists already (report {existing}). "
            "Open it from the monitoring list, or choose another year."
        )
    units = dict(db.session.execute(select(Kpi.id, Kpi.unit)).all())
    report = ProgressReport(
        city_id=city_id,
        project_id=project_id or None,
        year=year,
        status=status,
        narrative=narrative.strip(),
        created_by_id=user.id,
    )
    seen: set[int] = set()
    for kpi_id, planned, actual in actuals:
        if kpi_id not in units or kpi_id in seen:
            raise InvalidInput(f"KPI {kpi_id} is unknown or given twice: reload the form.")
        unit = units[kpi_id]
        planned = _number(planned, f"The planned value of KPI {kpi_id}", unit)
        actual = _number(actual, f"The actual value of KPI {kpi_id}", unit)
        if planned is None and actual is None:
            continue
        seen.add(kpi_id)
        report.actuals.append(KpiActual(kpi_id=kpi_id, planned=planned, actual=actual))
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DuplicateReport(
            f"A progress report for {what} in {year} was filed by someone else at the same "
            "moment; nothing of yours was saved. Open the monitoring list to see it."
        ) from None
    record(
        "create",
        "progress_report",
        report.id,
        {"city_id": city_id, "project_id": project_id, "year": year, "status": status},
        user_id=user.id,
    )
    db.session.commit()
    return report


def trajectory(user: User, city_id: int, kpi_id: int | None = None) -> Trajectory:
    """A KPI's recorded values and reported actuals over the years, with its target.

    Without ``kpi_id`` the first KPI with recorded values or actuals is shown.
    """
    city = _city_for(user, city_id)
    values = list(
        db.session.scalars(
            select(KpiValue)
            .where(KpiValue.city_id == city_id, KpiValue.data_point == "")
            .order_by(KpiValue.year)
        )
    )
    actuals = [
        (report, actual)
        for report, actual in db.session.execute(
            select(ProgressReport, KpiActual)
            .join(KpiActual, KpiActual.report_id == ProgressReport.id)
            .where(ProgressReport.city_id == city_id)
            .options(selectinload(ProgressReport.project))
            .order_by(ProgressReport.year)
        )
    ]
    with_data = {v.kpi_id for v in values} | {a.kpi_id for _, a in actuals}
    kpis = list(db.session.scalars(select(Kpi).where(Kpi.id.in_(with_data)).order_by(Kpi.code)))
    if kpi_id is None and kpis:
        kpi_id = kpis[0].id
    kpi = db.session.get(Kpi, kpi_id) if kpi_id else None
    if kpi_id and kpi is None:
        raise NotFound(f"There is no KPI {kpi_id}. Choose one from the list.")
    target = None
    if kpi is not None:
        targets = list(
            db.session.scalars(
                select(KpiTarget).where(
                    KpiTarget.kpi_id == kpi.id,
                    KpiTarget.data_point == "",
                    (KpiTarget.city_id == city_id) | KpiTarget.city_id.is_(None),
                )
            )
        )
        target = choose_target(targets, city_id, date.today().year)
    return Trajectory(
        city=city,
        kpi=kpi,
        kpis=kpis,
        values=[v for v in values if kpi and v.kpi_id == kpi.id],
        actuals=[(r, a) for r, a in actuals if kpi and a.kpi_id == kpi.id],
        target=target,
    )
