"""The rows of each downloadable list, read through the services of the pages, so a
download shows exactly what the page shows to the same user (no second copy of rules)."""

from __future__ import annotations

from collections.abc import Iterator

from app.bundles.pages import bundle_page
from app.catalogue import service as catalogue
from app.cities.profiles import city_profile
from app.partners import opportunities as ops

__all__ = ["LIMIT", "bundle_rows", "city_rows", "interest_rows", "kpi_value_rows",
           "opportunity_rows", "project_rows"]  # fmt: skip

LIMIT = 100_000  # rows in one download (the scale test set has 20,000 projects)
OPPORTUNITY_LIMIT = 2_000  # each is scored with its reasons: the best 2,000

CITY_COLUMNS = [
    ("id", "id"), ("name", "city"), ("country", "country (ISO)"),
    ("population", "population (inhabitants)"), ("population_year", "population year"),
    ("population_source", "population source"), ("currency", "budget currency"),
    ("latitude", "latitude (WGS84)"), ("longitude", "longitude (WGS84)"),
    ("illustrative", "illustrative"), ("source", "source"),
]  # fmt: skip


def city_rows(user, q: str = "", **filters) -> Iterator[dict]:
    for city in catalogue.list_cities(user, page=1, size=LIMIT, q=q, **filters).items:
        yield {
            "id": city.id, "name": city.name, "country": city.country.iso2,
            "population": city.population, "population_year": city.population_year,
            "population_source": city.population_source,
            "currency": city.currency or city.country.currency_code,
            "latitude": city.latitude, "longitude": city.longitude,
            "illustrative": "yes" if city.illustrative else "no", "source": city.source,
        }  # fmt: skip


PROJECT_COLUMNS = [
    ("id", "id"), ("title", "title"), ("city", "city"), ("country", "country (ISO)"),
    ("sector", "sector"), ("stage", "stage"), ("delivery_model", "delivery model"),
    ("capex", "capex (project currency, price base year)"), ("currency", "currency"),
    ("price_base_year", "price base year"), ("start_year", "start year"),
    ("horizon_years", "horizon (years)"), ("risk_level", "risk level"),
    ("published", "published"), ("illustrative", "illustrative"),
]  # fmt: skip


def project_rows(user, **filters) -> Iterator[dict]:
    for p in catalogue.list_projects(user, page=1, size=LIMIT, **filters).items:
        yield {
            "id": p.id, "title": p.title, "city": p.city.name, "country": p.city.country.iso2,
            "sector": p.sector.name, "stage": p.stage, "delivery_model": p.delivery_model,
            "capex": p.capex_total, "currency": p.currency, "price_base_year": p.price_base_year,
            "start_year": p.start_year, "horizon_years": p.horizon_years,
            "risk_level": p.risk_level, "published": "yes" if p.published else "no",
            "illustrative": "yes" if p.illustrative else "no",
        }  # fmt: skip


OPPORTUNITY_COLUMNS = [
    ("rank", "rank"), ("id", "project id"), ("title", "title"), ("city", "city"),
    ("country", "country (ISO)"), ("sector", "sector"),
    ("capex", "capex (project currency, price base year)"), ("currency", "currency"),
    ("price_base_year", "price base year"), ("delivery_model", "delivery model"),
    ("fit", "fit (0-1)"), ("confidence", "confidence (0-1)"), ("reasons", "why it fits"),
    ("concerns", "what holds it back"), ("illustrative", "illustrative"),
]  # fmt: skip


def opportunity_rows(user, filters, partner_id: int | None) -> Iterator[dict]:
    _, page = ops.list_opportunities(
        user, filters, partner_id=partner_id, page=1, size=OPPORTUNITY_LIMIT
    )
    for rank, o in enumerate(page.items, start=1):
        p = o.project
        yield {
            "rank": rank, "id": p.id, "title": p.title, "city": p.city.name,
            "country": p.city.country.iso2, "sector": p.sector.name, "capex": p.capex_total,
            "currency": p.currency, "price_base_year": p.price_base_year,
            "delivery_model": p.delivery_model, "fit": round(o.score, 4),
            "confidence": round(o.confidence, 4), "reasons": o.reasons, "concerns": o.concerns,
            "illustrative": "yes" if p.illustrative else "no",
        }  # fmt: skip


INTEREST_COLUMNS = [
    ("id", "id"), ("project_id", "project id"), ("project", "project"), ("city", "city"),
    ("status", "status"), ("created_at", "expressed (UTC)"), ("message", "message"),
]  # fmt: skip


def interest_rows(user, partner_id: int | None) -> Iterator[dict]:
    _, page = ops.list_interests(user, partner_id=partner_id, page=1, size=LIMIT)
    for i in page.items:
        yield {
            "id": i.id, "project_id": i.project_id, "project": i.project.title,
            "city": i.project.city.name, "status": i.status,
            "created_at": i.created_at.strftime("%Y-%m-%d %H:%M"), "message": i.message,
        }  # fmt: skip


#: The long format that /imports and ``usc import kpis`` read back unchanged.
KPI_VALUE_COLUMNS = [
    ("city", "city"), ("country", "country"), ("year", "year"), ("year_basis", "year_basis"),
    ("kpi_code", "kpi_code"), ("kpi_name", "kpi_name"), ("data_point", "data_point"),
    ("value", "value"), ("unit", "unit"), ("source", "source"), ("note", "note"),
    ("illustrative", "illustrative"),
]  # fmt: skip


def kpi_value_rows(user, city_id: int) -> Iterator[dict]:
    """Every value of the city (every year), as the profile's viewer may see them."""
    from sqlalchemy import select

    from app.core.extensions import db
    from app.models import Kpi, KpiValue

    city = city_profile(user, city_id).city  # the profile's permission rules
    query = (
        select(KpiValue, Kpi.code, Kpi.name)
        .join(Kpi, Kpi.id == KpiValue.kpi_id)
        .where(KpiValue.city_id == city.id)
        .order_by(KpiValue.year, Kpi.id, KpiValue.data_point)
    )
    for value, code, name in db.session.execute(query):
        basis = value.year_basis or ""
        year, _, rest = basis.partition(": ")
        yield {
            "city": city.name, "country": city.country.iso2,
            "year": year if basis and year[:4] == str(value.year) else value.year,
            "year_basis": rest if basis and year[:4] == str(value.year) else basis,
            "kpi_code": code, "kpi_name": name, "data_point": value.data_point,
            "value": value.value, "unit": value.unit, "source": value.source,
            "note": value.note, "illustrative": "yes" if value.illustrative else "no",
        }  # fmt: skip


def bundle_rows(user, bundle_id: int) -> tuple[str, list[tuple[str, str]], Iterator[dict]]:
    """The bundle's selected projects; money in the bundle's currency and price base."""
    page = bundle_page(user, bundle_id)
    bundle = page["bundle"]
    money = f"{bundle.currency}, {bundle.price_base_year or 'n/a'} prices"
    columns = [
        ("project_id", "project id"), ("title", "project"), ("sector", "sector"),
        ("enpv", f"ENPV ({money})"), ("gap", f"funding gap ({money})"),
        ("opex", f"yearly opex ({money})"), ("illustrative", "illustrative"),
    ]  # fmt: skip
    rows = (
        {**row, "illustrative": "yes" if row["illustrative"] else "no"} for row in page["selection"]
    )
    return f"bundle-{bundle.id}", columns, rows
