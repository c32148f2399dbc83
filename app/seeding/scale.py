"""A large illustrative data set for load tests: `usc seed --scale N`.

N=1000 gives 1,000 cities (real GeoNames places, drawn KPI values), 20,000 projects
built from catalogue solutions and 2,000 partners. Everything is labelled
illustrative and generated from fixed seeds, so a second run adds nothing. Rows are
written with bulk inserts (the ORM unit of work would take minutes at this size).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
from sqlalchemy import func, insert, select

from app.core.extensions import db
from app.models import (
    CashFlowLine,
    City,
    Country,
    DeliveryModel,
    Kpi,
    KpiValue,
    Partner,
    PartnerKind,
    Project,
    ProjectTemplate,
    RiskAppetite,
    Sector,
    Stage,
)
from app.models.partner import partner_country, partner_sector
from app.models.project import project_kpi
from app.projects.flows import flow_lines, scale_template
from app.seeding.demo import drawn_value_row, read_kpi_ranges
from app.seeding.synthetic import DEMO_YEAR, income_group_of

PREFIX = "scale-"
CHUNK = 5000


@dataclass
class ScaleReport:
    cities: int = 0
    kpi_values: int = 0
    partners: int = 0
    projects: int = 0
    cash_flow_lines: int = 0

    def lines(self) -> list[str]:
        return [f"added {n:>7} {name.replace('_', ' ')}" for name, n in vars(self).items()]


def _bulk(model_or_table, rows: list[dict]) -> None:
    table = getattr(model_or_table, "__table__", model_or_table)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def seed_scale(root: Path, n: int) -> ScaleReport:
    """Add ``n`` cities, ``20 n`` projects and ``2 n`` partners (idempotent)."""
    if n < 1:
        raise ValueError("--scale needs a positive number of cities")
    report = ScaleReport()
    existing = db.session.scalar(select(func.count()).where(City.slug.like(f"{PREFIX}%")))
    if existing >= n:
        return report
    rng = np.random.default_rng(20261123)
    countries = {c.iso2: c for c in db.session.scalars(select(Country))}
    kpis = {k.code: k for k in db.session.scalars(select(Kpi))}
    if not kpis:
        raise ValueError("load the reference data first: `usc seed`")
    cities, new_cities = _cities(root, n, countries, report)
    _kpi_values(root, new_cities, kpis, report)
    partners = _partners(2 * n, countries, rng, report)
    _projects(20 * n, cities, rng, report)
    db.session.commit()
    del partners
    return report


def _cities(
    root: Path, n: int, countries: dict, report: ScaleReport
) -> tuple[list[City], list[City]]:
    """All scale cities, and those added now."""
    with (root / "cities_pop100k_geonames.csv").open(encoding="utf-8") as handle:
        places = [row for row in csv.DictReader(handle) if row["country_code"] in countries]
    step = max(1, len(places) // n)
    spread = places[::step] + [p for i, p in enumerate(places) if i % step]
    taken = set(db.session.scalars(select(City.geonameid).where(City.geonameid.is_not(None))))
    have = db.session.scalar(select(func.count()).where(City.slug.like(f"{PREFIX}%")))
    chosen = [p for p in spread if int(p["geonameid"]) not in taken][: max(0, n - have)]
    rows = [
        {
            "slug": f"{PREFIX}{p['geonameid']}",
            "name": p["name"],
            "country_id": countries[p["country_code"]].id,
            "geonameid": int(p["geonameid"]),
            "admin1code": p["admin1code"],
            "latitude": float(p["latitude"]),
            "longitude": float(p["longitude"]),
            "population": int(p["population"]),
            "timezone": p["timezone"],
            "illustrative": True,
            "source": "GeoNames cities15000 (CC BY 4.0); scale test data, KPI values illustrative",
        }
        for p in chosen
    ]
    _bulk(City, rows)
    report.cities = len(rows)
    everything = list(db.session.scalars(select(City).where(City.slug.like(f"{PREFIX}%"))))
    added = {row["slug"] for row in rows}
    return everything, [city for city in everything if city.slug in added]


def _kpi_values(root: Path, cities: list[City], kpis: dict, report: ScaleReport) -> None:
    ranges = read_kpi_ranges(root, kpis)
    groups = {c.id: c.income_group for c in db.session.scalars(select(Country))}
    rows = []
    for city in cities:
        group = income_group_of(groups.get(city.country_id))
        for code, kpi in kpis.items():
            span = ranges.get((code, group))
            if span is not None:
                row = drawn_value_row(city, city.slug, kpi, span, group)
                rows.append(
                    row
                    | {"city_id": city.id, "kpi_id": kpi.id, "data_point": "", "year": DEMO_YEAR}
                )
    _bulk(KpiValue, rows)
    report.kpi_values = len(rows)


CAPABILITIES = {
    "energy": ["led-lighting", "smart-metering", "energy-performance-contracting"],
    "renewable-energy": ["solar-pv", "wind", "battery-storage"],
    "urban-mobility": ["bus-rapid-transit", "traffic-management", "cycling-infrastructure"],
    "e-mobility": ["ev-charging", "electric-buses", "fleet-electrification"],
    "information-communication-technologies": ["fibre-networks", "public-wifi", "open-data"],
    "safety-security": ["cctv", "emergency-response", "early-warning"],
    "recycling-waste-management": ["waste-collection", "recycling-plants", "composting"],
    "infrastructure-construction": ["water-networks", "drainage", "road-works"],
    "health-infrastructure": ["telemedicine", "clinic-construction", "hospital-equipment"],
    "green-housing-facility-technologies": ["building-retrofit", "heat-pumps", "green-roofs"],
    "urban-development-service": ["urban-planning", "gis", "citizen-services"],
    "financial-institutions": ["project-finance", "green-bonds", "revolving-funds"],
}


def _partners(count: int, countries: dict, rng, report: ScaleReport) -> list[int]:
    sectors = list(db.session.scalars(select(Sector).order_by(Sector.position)))
    country_list = sorted(countries.values(), key=lambda c: c.iso2)
    kinds = list(PartnerKind)
    start = db.session.scalar(select(func.count()).where(Partner.slug.like(f"{PREFIX}%")))
    rows, sector_links, country_links = [], [], []
    for i in range(start, count):
        kind = kinds[i % len(kinds)]
        home = country_list[int(rng.integers(len(country_list)))]
        chosen = rng.choice(len(sectors), size=int(rng.integers(1, 4)), replace=False)
        low = float(10 ** rng.uniform(4.5, 7))
        caps = [cap for s in chosen for cap in CAPABILITIES.get(sectors[s].slug, [])[:2]]
        rows.append(
            {
                "slug": f"{PREFIX}partner-{i}",
                "name": f"Scale Partner {i} ({kind.value.replace('_', ' ')})",
                "kind": kind,
                "country_id": home.id,
                "regions": [home.wb_region] if home.wb_region else [],
                "ticket_min": Decimal(f"{low:.2f}"),
                "ticket_max": Decimal(f"{low * float(rng.uniform(5, 50)):.2f}"),
                "ticket_currency": "EUR",
                "risk_appetite": list(RiskAppetite)[i % 3],
                "capabilities": caps,
                "track_record_projects": None if i % 7 == 0 else int(rng.integers(0, 80)),
                "capacity": int(rng.integers(2, 12)),
                "description": "Generated for load tests.",
                "illustrative": True,
            }
        )
        sector_links.append([sectors[s].id for s in chosen])
        same_region = [c.id for c in country_list if c.wb_region == home.wb_region]
        country_links.append(same_region if kind is not PartnerKind.LOCAL_COMPANY else [home.id])
    _bulk(Partner, rows)
    ids = dict(
        db.session.execute(
            select(Partner.slug, Partner.id).where(Partner.slug.like(f"{PREFIX}%"))
        ).all()
    )
    links_s, links_c = [], []
    for row, s_ids, c_ids in zip(rows, sector_links, country_links, strict=True):
        pid = ids[row["slug"]]
        links_s += [{"partner_id": pid, "sector_id": s} for s in s_ids]
        links_c += [{"partner_id": pid, "country_id": c} for c in c_ids]
    _bulk(partner_sector, links_s)
    _bulk(partner_country, links_c)
    report.partners = len(rows)
    return list(ids.values())


def _projects(count: int, cities: list[City], rng, report: ScaleReport) -> None:
    templates = [
        t
        for t in db.session.scalars(select(ProjectTemplate))
        if t.capex_per_unit_central and t.capex_per_unit_central > 0
    ]
    solutions = {
        t.id: scale_template(t, 1.0, currency="EUR", price_base_year=2024) for t in templates
    }
    kpi_links = {t.id: [k.id for k in t.kpis] for t in templates}
    stages = [s for s in Stage if s is not Stage.DROPPED]
    start = db.session.scalar(select(func.count()).where(Project.slug.like(f"{PREFIX}%")))
    rows, flows = [], []
    for i in range(start, count):
        city = cities[int(rng.integers(len(cities)))]
        template = templates[int(rng.integers(len(templates)))]
        unit = solutions[template.id]
        target_capex = float(10 ** rng.uniform(5.5, 7.7))
        quantity = max(1.0, round(target_capex / unit.capex_total))
        stage = stages[int(rng.integers(len(stages)))]
        scaled = type(unit)(
            unit.capex_total * quantity,
            unit.annual_opex * quantity,
            unit.lifetime_years,
            "EUR",
            2024,
            unit.explanation,
        )
        start_year = int(rng.integers(2026, 2030))
        horizon = int(rng.integers(15, 31))
        rows.append(
            {
                "slug": f"{PREFIX}project-{i}",
                "city_id": city.id,
                "sector_id": template.sector_id,
                "template_id": template.id,
                "title": f"{template.name[:120]} in {city.name}",
                "stage": stage,
                "delivery_model": list(DeliveryModel)[i % 3],
                "currency": "EUR",
                "price_base_year": 2024,
                "start_year": start_year,
                "horizon_years": horizon,
                "scale_quantity": quantity,
                "capex_total": Decimal(f"{scaled.capex_total:.2f}"),
                "needed_capabilities": [],
                "risk_level": ["low", "medium", "high"][i % 3],
                "local_conditions": [],
                "risks": [],
                "assumptions": {"generated": "scale test data"},
                "published": stage not in (Stage.IDENTIFIED, Stage.FORMULATED, Stage.APPRAISED),
                "illustrative": True,
                "version": 1,
            }
        )
        benefit = scaled.capex_total * float(rng.uniform(0.04, 0.16))
        flows.append(
            flow_lines(
                scaled,
                start_year=start_year,
                horizon_years=horizon,
                annual_economic_benefit=benefit,
            )
        )
    _bulk(Project, rows)
    ids = dict(
        db.session.execute(
            select(Project.slug, Project.id).where(Project.slug.like(f"{PREFIX}%"))
        ).all()
    )
    line_rows, link_rows = [], []
    for row, lines in zip(rows, flows, strict=True):
        pid = ids[row["slug"]]
        line_rows += [
            {
                "project_id": pid,
                "year": year,
                "kind": kind,
                "amount": Decimal(f"{amount:.2f}"),
                "note": "illustrative",
            }
            for year, kind, amount in lines
        ]
        link_rows += [{"project_id": pid, "kpi_id": k} for k in kpi_links[row["template_id"]]]
    _bulk(CashFlowLine, line_rows)
    _bulk(project_kpi, link_rows)
    report.projects, report.cash_flow_lines = len(rows), len(line_rows)
