"""Lists of cities, projects and partners, filtered by what the user may see."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound
from app.core.extensions import db
from app.core.pagination import Page, paginate
from app.core.permissions import require_project_visible, require_staff
from app.models import (
    Bundle,
    BundleStatus,
    City,
    KpiValue,
    Partner,
    PartnerStatus,
    Project,
    Role,
    Stage,
    User,
)


def list_cities(user: User, *, page: int = 1, size: int = 50, q: str = "") -> Page:
    query = select(City).join(City.country).options(selectinload(City.country))
    if q:
        query = query.where(func.lower(City.name).contains(q.lower()))
    return paginate(query.order_by(City.illustrative, City.name), page, size)


def get_city(user: User, city_id: int) -> tuple[City, list[KpiValue]]:
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}.")
    values = list(
        db.session.scalars(
            select(KpiValue)
            .where(KpiValue.city_id == city_id)
            .options(selectinload(KpiValue.kpi))
            .order_by(KpiValue.kpi_id, KpiValue.data_point)
        )
    )
    return city, values


def visible_projects(user: User):
    query = select(Project)
    if user.role is Role.CITY:  # its own city's projects, other cities' once published
        query = query.where(or_(Project.city_id == user.city_id, Project.published.is_(True)))
    elif user.role is Role.PARTNER:
        query = query.where(Project.published.is_(True))
    return query


def list_projects(
    user: User,
    *,
    page: int = 1,
    size: int = 50,
    q: str = "",
    stage: str = "",
    city_id: int | None = None,
    sector_id: int | None = None,
    country_id: int | None = None,
) -> Page:
    query = visible_projects(user).options(
        selectinload(Project.city).selectinload(City.country), selectinload(Project.sector)
    )
    if q:
        query = query.where(func.lower(Project.title).contains(q.lower()))
    if stage and stage in {s.value for s in Stage}:
        query = query.where(Project.stage == Stage(stage))
    if city_id:
        query = query.where(Project.city_id == city_id)
    if sector_id:
        query = query.where(Project.sector_id == sector_id)
    if country_id:
        query = query.where(
            Project.city_id.in_(select(City.id).where(City.country_id == country_id))
        )
    return paginate(query.order_by(Project.id), page, size)


def get_project(user: User, project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return require_project_visible(user, project)


def list_partners(user: User, *, page: int = 1, size: int = 50, q: str = "") -> Page:
    require_staff(user)
    query = select(Partner).options(selectinload(Partner.sectors), selectinload(Partner.country))
    if q:
        query = query.where(func.lower(Partner.name).contains(q.lower()))
    return paginate(query.order_by(Partner.kind, Partner.name), page, size)


def pending_partners() -> int:
    """Partners who registered themselves and wait for review."""
    return db.session.scalar(
        select(func.count()).select_from(Partner).where(Partner.status == PartnerStatus.PENDING)
    )


def dashboard_figures(user: User) -> dict:
    """Counts for the signed-in user's dashboard, scoped to what the role may see."""
    projects = visible_projects(user).subquery()
    by_stage = dict(
        db.session.execute(select(projects.c.stage, func.count()).group_by(projects.c.stage)).all()
    )
    figures: dict = {
        "projects": sum(by_stage.values()),
        "by_stage": {str(getattr(k, "value", k)): v for k, v in by_stage.items()},
    }
    if user.role is Role.STAFF:
        figures["cities"] = db.session.scalar(select(func.count()).select_from(City))
        figures["partners"] = db.session.scalar(select(func.count()).select_from(Partner))
        figures["countries"] = db.session.scalar(
            select(func.count(func.distinct(City.country_id))).select_from(City)
        )
    if user.role is Role.CITY:
        figures["city"] = db.session.get(City, user.city_id)
        figures["awaiting"] = list(  # bundles sent to the committee for its decision
            db.session.scalars(
                select(Bundle)
                .where(Bundle.city_id == user.city_id, Bundle.status == BundleStatus.SENT)
                .order_by(Bundle.id)
            )
        )
    if user.role is Role.PARTNER:
        figures["partner"] = db.session.get(Partner, user.partner_id)
    return figures


__all__ = [
    "dashboard_figures",
    "get_city",
    "get_project",
    "list_cities",
    "list_partners",
    "list_projects",
]
