"""Cities come in: found in GeoNames or typed by hand, edited, and added from the CLI."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, City, Country
from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD, csrf_token

world = test_profiles.world  # the shared fixture


def form_data(page, **values) -> dict:
    fields = dict(re.findall(r'name="([a-z0-9_]+)" type="hidden" value="([^"]*)"', page.text))
    return {"csrf_token": csrf_token(page), **fields, **values}


def cities(app) -> dict[str, City]:
    with app.app_context():
        return {c.slug: c for c in db.session.scalars(select(City))}


def test_staff_add_a_small_city_by_hand_with_its_population_source(app, client, login, world):
    with app.app_context():  # the country's currency is the default
        db.session.scalar(select(Country).where(Country.iso2 == "NO")).currency_code = "NOK"
        db.session.commit()
    login("staff@example.org", PASSWORD)
    page = client.get("/cities/new?q=Pully")
    assert page.status_code == 200 and "enter it by hand" in page.text
    data = form_data(page, name="Pully", country="NO", latitude="46,51", longitude="6.66",
                     population="18 946", population_year="2023",
                     population_source="Swiss FSO STATPOP 2023 (test figure)")  # fmt: skip
    response = client.post("/cities/new", data=data)
    assert response.status_code == 302
    pully = cities(app)["pully-no"]
    assert pully.population == 18946 and pully.latitude == pytest.approx(46.51)
    assert pully.currency == "NOK" and pully.population_year == 2023
    profile = client.get(f"/cities/{pully.id}")
    assert "18,946 inhabitants" in profile.text and "Swiss FSO STATPOP 2023" in profile.text


def test_staff_pick_a_city_from_geonames_and_the_form_is_prefilled(app, client, login, world):
    login("staff@example.org", PASSWORD)
    found = client.get("/cities/new?q=bergen&country=NO")
    assert "Bergen" in found.text
    geonameid = re.search(r"geonameid=(\d+)\">Use Bergen", found.text).group(1)
    page = client.get(f"/cities/new?geonameid={geonameid}")
    assert 'value="Bergen"' in page.text and "GeoNames cities15000" in page.text
    data = form_data(page, name="Bergen", country="NO", latitude="60.39299", longitude="5.32415",
                     population="213585", population_source="GeoNames cities15000")  # fmt: skip
    assert client.post("/cities/new", data=data).status_code == 302
    bergen = cities(app)["bergen-no"]
    assert bergen.geonameid == int(geonameid) and bergen.timezone == "Europe/Oslo"
    again = client.post("/cities/new", data=data)
    assert again.status_code == 400 and "exists already" in again.text


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"latitude": "95", "longitude": "5"}, "from -90 to 90"),
        ({"latitude": "59"}, "both the latitude and the longitude"),
        ({"population": "40000"}, "Say where the population figure comes from"),
        ({"population": "NaN"}, "is not a number"),
        ({"currency": "kr"}, "not a currency code"),
        ({"name": ""}, "Give the city&#39;s name"),
    ],
)
def test_bad_city_input_is_refused_on_the_page_keeping_what_was_typed(
    app, client, login, world, values, message
):
    login("staff@example.org", PASSWORD)
    page = client.get("/cities/new")
    data = form_data(page, name="Ålesund", country="NO") | values
    response = client.post("/cities/new", data=data)
    assert response.status_code == 400 and message in response.text
    assert "alesund-no" not in cities(app)


def test_staff_edit_currency_and_population_and_the_audit_keeps_the_old_value(
    app, client, login, world
):
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{world['karmoy']}/edit")
    assert page.status_code == 200
    data = form_data(page, name="Karmøy", country="NO", currency="EUR", population="43990",
                     population_year="2026", population_source="SSB via Wikipedia")  # fmt: skip
    assert client.post(f"/cities/{world['karmoy']}/edit", data=data).status_code == 302
    with app.app_context():
        karmoy = db.session.get(City, world["karmoy"])
        assert karmoy.currency == "EUR" and karmoy.population == 43990
        audit = db.session.scalar(select(AuditLog).where(AuditLog.entity == "city"))
        assert audit.changes["population"]["to"] == "43990"


@pytest.mark.parametrize("account", ["city@example.org", "partner@example.org"])
def test_only_staff_add_or_edit_cities(client, login, world, account):
    login(account, PASSWORD)
    assert client.get("/cities/new").status_code == 403
    assert client.get(f"/cities/{world['karmoy']}/edit").status_code == 403


def test_usc_city_add(app, runner, world):
    result = runner.invoke(args=["city", "add", "--name", "Ålesund", "--country", "NO",
                                 "--population", "67114", "--population-year", "2024",
                                 "--population-source", "SSB table 07459 (test figure)",
                                 "--lat", "62.47", "--lon", "6.15"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added Ålesund (NO)" in result.output
    assert cities(app)["alesund-no"].population == 67114
    refused = runner.invoke(args=["city", "add", "--name", "Ålesund", "--country", "NO"])
    assert refused.exit_code != 0 and "exists already" in refused.output
