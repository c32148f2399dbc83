"""Lists of cities, projects and partners, filtered by what the user may see."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound
from app.core.extensions import db
from app.core.pagination import Page, paginate
from app.core.permissions import require_project_visible, require_staff
from app.experts.service import own_engagements
from app.models import (
    Bundle,
    BundleStatus,
    City,
    Country,
    Kpi,
    KpiValue,
    Partner,
    PartnerStatus,
    Project,
    Role,
    Stage,
    User,
)


def list_cities(
    user: User,
    *,
    page: int = 1,
    size: int = 50,
    q: str = "",
    country: str | None = None,
    income_group: str | None = None,
    region: str | None = None,
) -> Page:
    """Cities by name; filtered by part of the name, country (ISO 2), the World Bank
    income group and region of their country."""
    query = select(City).join(City.country).options(selectinload(City.country))
    if q:
        query = query.where(func.lower(City.name).contains(q.lower()))
    if country:
        query = query.where(Country.iso2 == country.upper())
    if income_group:
        query = query.where(Country.income_group == income_group)
    if region:
        query = query.where(Country.wb_region == region)
    return paginate(query.order_by(City.illustrative, City.name), page, size)


def city_filter_choices() -> dict[str, list]:
    """The filters of the city list: countries with cities, income groups, regions."""
    countries = db.session.execute(
        select(Country.iso2, Country.name).where(Country.cities.any()).order_by(Country.name)
    ).all()
    groups = db.session.scalars(
        select(Country.income_group).where(Country.income_group.is_not(None)).distinct()
    )
    regions = db.session.scalars(
        select(Country.wb_region).where(Country.wb_region.is_not(None)).distinct()
    )
    return {"countries": countries, "income_groups": sorted(groups), "regions": sorted(regions)}


def kpi_count() -> int:
    return db.session.scalar(select(func.count(Kpi.id)))


def city_figures(city_ids: list[int]) -> dict[int, dict]:
    """Per city: KPIs with a value, and the mean share of target reached over the KPIs
    that have a value and a target (the twin-city profiles' attainment, cached)."""
    from app.twinning.service import all_profiles

    counts = dict(
        db.session.execute(
            select(KpiValue.city_id, func.count(func.distinct(KpiValue.kpi_id)))
            .where(KpiValue.city_id.in_(city_ids))
            .group_by(KpiValue.city_id)
        ).all()
    )
    profiles = all_profiles()
    figures = {}
    for city_id in city_ids:
        shares = profiles[str(city_id)].attainment if str(city_id) in profiles else {}
        figures[city_id] = {
            "kpis": counts.get(city_id, 0),
            "scored": len(shares),
            "score": sum(shares.values()) / len(shares) if shares else None,
        }
    return figures


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
    elif user.role is not Role.STAFF:  # partners and experts: the published ones
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
    if user.role is Role.EXPERT:
        figures["expert"] = user.expert
        figures["engagements"] = own_engagements(user)
    return figures


__all__ = [
    "dashboard_figures",
    "get_city",
    "get_project",
    "list_cities",
    "list_partners",
    "list_projects",
]
