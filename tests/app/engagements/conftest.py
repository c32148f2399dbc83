"""Fixtures of the engagement tests: two cities, a partner, signed-in roles, a filed
request and helpers to post the pages' forms."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from app.core.extensions import db
from app.models import Engagement, Partner, PartnerKind
from tests.app.conftest import csrf_token


@pytest.fixture
def world(app, make_city, make_country):
    city = make_city()
    other = make_city(
        slug="bizerte-tn",
        name="Bizerte",
        country=make_country(iso2="TN", iso3="TUN", name="Tunisia", income_group="LMI"),
    )
    with app.app_context():
        partner = Partner(slug="acme", name="Acme", kind=PartnerKind.TECHNOLOGY_COMPANY)
        db.session.add(partner)
        db.session.commit()
    return SimpleNamespace(city_id=city.id, other_city_id=other.id, partner_slug="acme")


@pytest.fixture
def as_role(client, login, make_user, world):
    """Sign in as 'staff', 'city' (Karmøy's committee), 'other_city' or 'partner'."""

    def sign_in(role: str):
        binding, kind = {}, role
        if role == "city":
            binding["city_slug"] = "karmoy-no"
        if role == "other_city":
            binding["city_slug"], kind = "bizerte-tn", "city"
        if role == "partner":
            binding["partner_slug"] = world.partner_slug
        make_user(f"{role}@example.org", role=kind, **binding)
        assert login(f"{role}@example.org").status_code == 302
        return client

    return sign_in


def post(client, url: str, data: dict, *, page: str | None = None):
    token = csrf_token(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token})


def request_form(city_id, **overrides) -> dict:
    data = {
        "city_id": str(city_id),
        "requester": "city",
        "requester_name": "Office of the Mayor",
        "requested_on": "2026-01-15",
        "notes": "Letter of 15 January",
    }
    data.update(overrides)
    return data


def version_on(page_text: str) -> str:
    match = re.search(r'name="version" type="hidden" value="(\d+)"', page_text)
    assert match, "the page has no version field"
    return match.group(1)


@pytest.fixture
def filed(app, client, as_role, world):
    """Staff signed in, Karmøy's request filed on 2026-01-15; returns the engagement id."""
    as_role("staff")
    response = post(client, "/engagements/new", request_form(world.city_id))
    assert response.status_code == 302, response.text
    with app.app_context():
        engagement = db.session.query(Engagement).one()
        assert engagement.requested_on == date(2026, 1, 15)
        return engagement.id


@pytest.fixture
def pool(app, world, make_sector):
    """Karmøy (Norwegian) with a 50 % gap on a renewable-energy KPI (Environment), and
    three experts: Ingrid fits and is free, Karim fits neither, Busy fits but has no days."""
    from app.models import City, Direction, Expert, Kpi, KpiTarget, KpiValue

    energy = make_sector(slug="renewable-energy", name="Renewable Energy", position=4)
    with app.app_context():
        city = db.session.get(City, world.city_id)
        city.language = "no"
        kpi = Kpi(
            code="EN: E: E: 1C",
            name="Renewable energy consumption",
            dimension="Environment",
            category="Energy",
            unit="%",
            direction=Direction.HIGHER,
        )
        kpi.sectors.append(db.session.get(type(energy), energy.id))
        db.session.add(kpi)
        db.session.flush()
        db.session.add(KpiValue(city_id=city.id, kpi_id=kpi.id, year=2024, value=30.0))
        db.session.add(KpiTarget(kpi_id=kpi.id, value=60.0, direction=Direction.HIGHER, unit="%"))
        experts = [
            Expert(
                slug="ingrid",
                name="Ingrid Dahl",
                sectors=["renewable-energy"],
                dimensions=["Environment"],
                countries=["NO"],
                languages=["no", "en"],
                days_per_year=60,
                days_per_engagement=20,
                illustrative=True,
            ),
            Expert(
                slug="karim",
                name="Karim Haddad",
                sectors=["urban-mobility"],
                dimensions=["Economy"],
                countries=["TN"],
                languages=["ar", "fr"],
                days_per_year=40,
                days_per_engagement=20,
                illustrative=True,
            ),
            Expert(
                slug="busy",
                name="Bea Busy",
                sectors=["renewable-energy"],
                languages=["no"],
                days_per_year=10,
                days_per_engagement=20,
                illustrative=True,
            ),
        ]
        db.session.add_all(experts)
        db.session.commit()
        return {e.slug: e.id for e in experts}


def give_data(app, engagement_id: int, stage) -> None:
    """What a stage's data items ask for, written straight to the rows: an issued
    PROFILE, an agreed plan whose project has a milestone with an owner, a first review."""
    from app.models import (
        ActionPlan,
        AnnualReview,
        City,
        EngagementStage,
        Milestone,
        ProfilePublication,
        Project,
        Sector,
    )

    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        if stage is EngagementStage.PROFILE_PUBLISHED:
            db.session.add(
                ProfilePublication(
                    engagement_id=engagement_id, filename="p.pdf", pdf=b"%PDF-1.7",
                    size=8, sha256="0" * 64,
                )
            )  # fmt: skip
        if stage is EngagementStage.ACTION_PLAN_AGREED:
            sector = db.session.query(Sector).first() or Sector(slug="s", name="S", position=1)
            project = Project(
                title="Street lights", city=db.session.get(City, engagement.city_id),
                sector=sector, price_base_year=2024, start_year=2027,
            )  # fmt: skip
            plan = ActionPlan(engagement_id=engagement_id, agreed_on=date(2026, 6, 1))
            plan.milestones.append(
                Milestone(project=project, name="Tender", due_on=date(2026, 9, 1), owner="Ana")
            )
            db.session.add(plan)
        if stage is EngagementStage.IN_ANNUAL_REVIEW:
            db.session.add(
                AnnualReview(engagement_id=engagement_id, year=2026, findings="On track.")
            )
        db.session.commit()
