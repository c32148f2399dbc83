"""A small world for the matching tests: countries, cities, projects, partners, accounts.

Fixtures only (imported by test_matches*.py, test_opportunities*.py and test_twinning*.py).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.core.extensions import db
from tests.app.conftest import PASSWORD, csrf_token


@pytest.fixture(name="world")
def world_fixture(app, make_user):
    """Ids of a small platform: 2 countries with projects, partners of every kind."""
    from app.models import (
        City,
        Country,
        DeliveryModel,
        Kpi,
        Partner,
        PartnerKind,
        Project,
        RiskAppetite,
        SdgGoal,
        Sector,
        Stage,
    )
    from app.models.kpi import Direction

    with app.app_context():
        norway = Country(
            iso2="NO",
            iso3="NOR",
            name="Norway",
            income_group="High income",
            wb_region="Europe & Central Asia",
        )
        austria = Country(
            iso2="AT",
            iso3="AUT",
            name="Austria",
            income_group="High income",
            wb_region="Europe & Central Asia",
        )
        kenya = Country(
            iso2="KE",
            iso3="KEN",
            name="Kenya",
            income_group="Lower middle income",
            wb_region="Sub-Saharan Africa",
        )
        energy = Sector(slug="energy", name="Energy", position=2, sdg_goals=[7, 13])
        ict = Sector(
            slug="ict", name="Information & Communication Technologies", position=5, sdg_goals=[9]
        )
        water_kpi = Kpi(
            code="EN: EN: WS: 4C",
            name="Wastewater treatment",
            dimension="Environment",
            category="Water and Sanitation",
            direction=Direction.HIGHER,
            sdg_goals=[6],
        )
        karmoy = City(slug="karmoy-no", name="Karmøy", country=norway, population=42000)
        graz = City(slug="graz-at", name="Graz", country=austria, population=290000)
        nairobi = City(slug="nairobi-ke", name="Nairobi", country=kenya, population=4400000)
        goals = [SdgGoal(number=n, title=f"Goal {n}") for n in (6, 7, 9, 13)]
        db.session.add_all(
            [*goals, norway, austria, kenya, energy, ict, water_kpi, karmoy, graz, nairobi]
        )
        db.session.flush()

        def project(title, city, sector, *, published, capex, **extra):
            row = Project(
                title=title,
                city=city,
                sector=sector,
                price_base_year=2024,
                start_year=2027,
                published=published,
                stage=Stage.PUBLISHED if published else Stage.APPRAISED,
                capex_total=Decimal(capex),
                currency=extra.pop("currency", "EUR"),
                risk_level=extra.pop("risk_level", "medium"),
                needed_capabilities=extra.pop("needs", ["led-lighting"]),
                **extra,
            )
            db.session.add(row)
            return row

        lights = project(
            "LED street lighting",
            karmoy,
            energy,
            published=True,
            capex="3900000",
            delivery_model=DeliveryModel.PPP_AVAILABILITY,
            local_conditions=["municipal guarantee"],
            risks=["lamp supply delays"],
        )
        fibre = project(
            "Open-access fibre",
            nairobi,
            ict,
            published=True,
            capex="25000000",
            currency="USD",
            needs=["fibre"],
            risk_level="high",
        )
        heat = project("District heat pump", graz, energy, published=True, capex="14000000")
        draft = project("Secret draft reservoir", karmoy, energy, published=False, capex="900000")
        fibre.kpis = [water_kpi]

        def partner(slug, kind, sectors, countries, **extra):
            row = Partner(
                slug=slug,
                name=extra.pop("name", slug.replace("-", " ").title()),
                kind=kind,
                regions=extra.pop("regions", []),
                ticket_min=Decimal(extra.pop("low", "100000")),
                ticket_max=Decimal(extra.pop("high", "20000000")),
                ticket_currency="EUR",
                risk_appetite=extra.pop("appetite", RiskAppetite.MEDIUM),
                capabilities=extra.pop("caps", []),
                track_record_projects=extra.pop("record", 3),
                capacity=extra.pop("capacity", 3),
            )
            row.sectors, row.countries = sectors, countries
            db.session.add(row)
            return row

        lumen = partner(
            "lumen-lighting",
            PartnerKind.TECHNOLOGY_COMPANY,
            [energy],
            [norway, austria],
            caps=["led-lighting"],
            record=8,
        )
        fibreco = partner(
            "fibre-co", PartnerKind.TECHNOLOGY_COMPANY, [ict], [kenya], caps=["fibre"]
        )
        local = partner("vestkyst-local", PartnerKind.LOCAL_COMPANY, [energy], [norway])
        bank = partner(
            "nordic-bank",
            PartnerKind.FINANCIAL_INSTITUTION,
            [energy, ict],
            [],
            regions=["Europe & Central Asia"],
            high="200000000",
        )
        db.session.flush()
        ids = {
            "lights": lights.id,
            "fibre": fibre.id,
            "heat": heat.id,
            "draft": draft.id,
            "lumen": lumen.id,
            "fibreco": fibreco.id,
            "local": local.id,
            "bank": bank.id,
            "karmoy": karmoy.id,
            "graz": graz.id,
            "nairobi": nairobi.id,
            "energy": energy.id,
            "ict": ict.id,
        }
        db.session.commit()
    make_user("staff@example.org", "staff")
    make_user("lumen@example.org", "partner", partner_slug="lumen-lighting")
    make_user("fibre@example.org", "partner", partner_slug="fibre-co")
    make_user("city@example.org", "city", city_slug="karmoy-no")
    return ids


def post_form(client, page_url: str, action_url: str, data: dict):
    """POST ``data`` to ``action_url`` with the CSRF token of ``page_url``."""
    token = csrf_token(client.get(page_url))
    return client.post(action_url, data={"csrf_token": token, **data})


__all__ = ["PASSWORD", "post_form", "world_fixture"]
