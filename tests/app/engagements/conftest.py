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
