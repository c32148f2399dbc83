"""Shared fixtures and helpers of the project and pipeline tests: a catalogue solution,
KPIs with a gap, signed-in roles, and the form a person fills in."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.core.extensions import db
from app.models import (
    Direction,
    Kpi,
    KpiTarget,
    KpiValue,
    Partner,
    PartnerKind,
    ProjectTemplate,
)
from appraisal.analysis.price_base import convert_cost
from tests.app.conftest import csrf_token

UNIT_COST_USD_2014 = 708.0


@pytest.fixture
def world(app, make_city, make_sector, make_country):
    """A city with a gap on one KPI, a sector with a catalogue solution, a second city."""
    city = make_city()
    other = make_city(
        slug="bizerte-tn",
        name="Bizerte",
        country=make_country(iso2="TN", iso3="TUN", name="Tunisia", income_group="LMI"),
    )
    sector = make_sector()
    with app.app_context():
        lighting = Kpi(
            code="EN: E: E: 2C",
            name="Electricity consumption",
            dimension="Environment",
            category="Energy",
            unit="kWh/yr per capita",
            direction=Direction.LOWER,
        )
        renewables = Kpi(
            code="EN: E: E: 1C",
            name="Renewable energy consumption",
            dimension="Environment",
            category="Energy",
            unit="%",
            direction=Direction.HIGHER,
        )
        db.session.add_all([lighting, renewables])
        db.session.flush()
        db.session.add(KpiValue(city_id=city.id, kpi_id=renewables.id, year=2024, value=30.0))
        db.session.add(
            KpiTarget(kpi_id=renewables.id, value=60.0, direction=Direction.HIGHER, unit="%")
        )
        template = ProjectTemplate(
            slug="led-street-lighting",
            sector_id=sector.id,
            name="LED street lighting retrofit",
            unit="streetlight",
            unit_short="streetlight",
            capex_per_unit_central=Decimal(str(UNIT_COST_USD_2014)),
            currency="USD",
            price_year=2014,
            opex_pct_of_capex=2.0,
            lifetime_years=20,
            source_title="SPEER LED case study",
            kpis=[lighting],
        )
        partner = Partner(slug="acme", name="Acme", kind=PartnerKind.TECHNOLOGY_COMPANY)
        db.session.add_all([template, partner])
        db.session.commit()
        return SimpleNamespace(
            city_id=city.id,
            other_city_id=other.id,
            country_id=city.country_id,
            sector_id=sector.id,
            template_id=template.id,
            kpi_ids=[lighting.id, renewables.id],
            renewables_id=renewables.id,
            partner_slug=partner.slug,
        )


@pytest.fixture
def as_role(client, login, make_user, world):
    """Sign in as 'staff', 'city' (of the world's city) or 'partner'; returns the client."""

    def sign_in(role: str):
        binding = {}
        if role == "city":
            binding["city_slug"] = "karmoy-no"
        if role == "partner":
            binding["partner_slug"] = world.partner_slug
        make_user(f"{role}@example.org", role=role, **binding)
        assert login(f"{role}@example.org").status_code == 302
        return client

    return sign_in


def project_form(world, **overrides) -> dict:
    """What a person fills in to formulate the LED project (percentages as percentages)."""
    data = {
        "city_id": world.city_id,
        "sector_id": world.sector_id,
        "template_id": world.template_id,
        "scale_quantity": "4500",
        "title": "LED street lighting for Karmøy",
        "description": "Replace sodium lamps.",
        "kpi_ids": [str(world.kpi_ids[0])],
        "delivery_model": "ppp_availability",
        "currency": "EUR",
        "price_base_year": "2024",
        "price_basis": "real",
        "start_year": "2026",
        "horizon_years": "20",
        "needed_capabilities": ["led-lighting", "civil-works"],
        "risk_level": "low",
        "local_conditions": "energy performance contract framework\nmunicipal guarantee",
        "risks": "lamp supply delays",
        "annual_revenue": "0",
        "annual_economic_benefit": "273000",
        "co2_tonnes_per_year": "40",
        "labour_share_pct": "35",
    }
    data.update(overrides)
    return data


def post_form(client, url: str, data: dict, *, page: str | None = None):
    """POST ``data`` with the CSRF token of ``page`` (default: the same URL)."""
    token = csrf_token(client.get(page or url))
    return client.post(url, data=data | {"csrf_token": token})


def unit_cost_eur_2024() -> float:
    return convert_cost(UNIT_COST_USD_2014, "USD", 2014, to_currency="EUR", to_year=2024).value
