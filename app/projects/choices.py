"""What the project form offers: cities, sectors, catalogue solutions and KPIs (with the
chosen city's current attainment), and the prefill from a gap on a city's profile."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cities.gaps import city_gaps
from app.core.extensions import db
from app.core.permissions import require_staff
from app.models import City, DeliveryModel, Kpi, PriceBasis, ProjectTemplate, Sector, User
from appraisal.analysis.world_prices import available_currencies

__all__ = [
    "DEFAULT_PRICE_BASE_YEAR",
    "FormOptions",
    "city_currency",
    "form_options",
    "new_project_defaults",
]

DEFAULT_PRICE_BASE_YEAR = 2024  # the latest year of the packaged price indices


def city_currency(city: City | None) -> str:
    """The currency a new project of ``city`` is appraised in: the city's budget currency,
    else its country's, when the platform has prices for it; else EUR."""
    known = dict(available_currencies())
    if city is not None:
        for code in (city.currency, city.country.currency_code if city.country else None):
            if code and code.upper() in known:
                return code.upper()
    return "EUR"


@dataclass(frozen=True)
class FormOptions:
    """Choices of the project form: (id, label) pairs, solutions and KPIs grouped."""

    cities: list[tuple[int, str]]
    sectors: list[tuple[int, str]]
    templates: dict[str, list[tuple[int, str]]]
    kpis: dict[str, list[tuple[int, str]]]


def form_options(user: User, *, city_id: int | None = None) -> FormOptions:
    """Everything the form offers; KPI labels carry the chosen city's current gap."""
    require_staff(user)
    cities = db.session.execute(
        select(City.id, City.name, City.slug).order_by(City.name, City.slug)
    ).all()
    sectors = db.session.execute(select(Sector.id, Sector.name).order_by(Sector.position)).all()
    templates: dict[str, list[tuple[int, str]]] = {}
    for template in db.session.scalars(
        select(ProjectTemplate)
        .options(selectinload(ProjectTemplate.sector))
        .order_by(ProjectTemplate.sector_id, ProjectTemplate.name)
    ):
        unit = template.unit_short or template.unit
        templates.setdefault(template.sector.name, []).append(
            (template.id, f"{template.name} (per {unit})")
        )
    gaps = _gap_labels(city_id) if city_id else {}
    kpis: dict[str, list[tuple[int, str]]] = {}
    for kpi in db.session.scalars(select(Kpi).order_by(Kpi.dimension, Kpi.category, Kpi.code)):
        label = f"{kpi.code} {kpi.name}" + gaps.get(kpi.id, "")
        kpis.setdefault(f"{kpi.dimension}: {kpi.category}", []).append((kpi.id, label))
    return FormOptions(
        cities=[(c.id, f"{c.name} ({c.slug})") for c in cities],
        sectors=[(s.id, s.name) for s in sectors],
        templates=templates,
        kpis=kpis,
    )


def _gap_labels(city_id: int) -> dict[int, str]:
    labels = {}
    for row in city_gaps(city_id).kpis.to_dict("records"):
        attainment = row.get("attainment")
        if attainment is None or attainment != attainment:  # NaN: no value or no target
            continue
        labels[row["kpi_id"]] = f" (now at {attainment:.0%} of target)"
    return labels


def new_project_defaults(
    user: User,
    *,
    city_id: int | None = None,
    template_id: int | None = None,
    kpi_ids: list[int] | None = None,
    quantity: float | None = None,
    this_year: int,
) -> dict:
    """Initial form data for /projects/new, prefilled from a gap on a city's profile."""
    require_staff(user)
    if quantity is not None and not (math.isfinite(quantity) and quantity > 0):
        quantity = None  # a prefill only: the form asks for a positive quantity
    data: dict = {
        "city_id": city_id or 0,
        "currency": "EUR",
        "price_base_year": DEFAULT_PRICE_BASE_YEAR,
        "price_basis": PriceBasis.REAL.value,
        "start_year": this_year + 1,
        "horizon_years": 20,
        "risk_level": "medium",
        "delivery_model": DeliveryModel.PUBLIC.value,
        "kpi_ids": list(kpi_ids or []),
        "scale_quantity": int(quantity) if quantity and quantity == int(quantity) else quantity,
    }
    city = db.session.get(City, city_id) if city_id else None
    data["currency"] = city_currency(city)
    template = db.session.get(ProjectTemplate, template_id) if template_id else None
    if template is not None:
        data |= {"template_id": template.id, "sector_id": template.sector_id}
        data["title"] = template.name + (f" for {city.name}" if city else "")
        if not data["kpi_ids"]:
            data["kpi_ids"] = [k.id for k in template.kpis]
    return data
