"""The city list: a score and a KPI count per city, filters by country, income group and
region (the downloads and the API follow the same filters)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from app.seeding import seed_database
from tests.app.conftest import PASSWORD


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)


def _rows(text: str) -> list[str]:
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return re.findall(r'<a href="/cities/\d+">([^<]+)</a>', body)


def test_each_city_shows_its_kpi_count_and_score(client, login, demo):
    login("staff@example.org", PASSWORD)
    text = client.get("/cities?country=NO").text
    assert "KPIs with a value (of 91)" in text and "Score (mean share of target)" in text
    row = text[text.index(">Karmøy</a>") :].split("</tr>")[0]
    count, score = re.findall(r'<td class="num">([^<]*)', row)[1:3]
    assert int(count) >= 10
    assert re.fullmatch(r"\d+ %", score.strip()), score


def test_filters_by_country_income_group_and_region(client, login, demo):
    login("city@example.org", PASSWORD)
    every = _rows(client.get("/cities").text)
    norway = _rows(client.get("/cities?country=NO").text)
    assert norway and set(norway) < set(every) and "Karmøy" in norway
    assert "Bizerte" not in norway
    lower = _rows(client.get("/cities?income_group=Lower+middle+income").text)
    assert "Bizerte" in lower and "Karmøy" not in lower
    mena = _rows(client.get("/cities?region=Middle+East+%26+North+Africa").text)
    assert "Bizerte" in mena and "Karmøy" not in mena
    none = client.get("/cities?country=ZZ&region=nowhere")
    assert none.status_code == 200 and "No city matches" in none.text
    assert 'href="/cities"' in none.text  # a way back


def test_the_download_and_the_api_follow_the_filters(app, client, login, demo):
    from app.api.tokens import create_token_for

    login("staff@example.org", PASSWORD)
    data = client.get("/cities.csv?country=NO").data.decode("utf-8-sig")
    assert {r["country (ISO)"] for r in csv.DictReader(io.StringIO(data))} == {"NO"}
    with app.app_context():
        token = create_token_for("staff@example.org", "t").secret
    api = client.get("/api/v1/cities?country=NO", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and {c["country"] for c in api.json["items"]} == {"NO"}


def _bizerte(app) -> int:
    import sqlalchemy as sa

    from app.core.extensions import db
    from app.models import City

    with app.app_context():
        return db.session.scalar(sa.select(City.id).where(City.slug == "bizerte-tn"))


def test_a_profile_shows_measured_kpis_first_and_folds_the_rest(app, client, login, demo):
    login("staff@example.org", PASSWORD)
    text = client.get(f"/cities/{_bizerte(app)}").text
    kpis = text[text.index('id="kpis"') : text.index('id="projects"')]
    folded = re.findall(r'<details class="unmeasured">(.*?)</details>', kpis, re.S)
    assert folded, "the KPIs without a value are folded"
    opened = re.sub(r'<details class="unmeasured">.*?</details>', "", kpis, flags=re.S)
    empty = re.compile(r'<td class="num">no value')  # the value cell of a KPI without one
    assert opened.count('<tr id="kpi-') >= 10 and not empty.search(opened)
    assert all(empty.search(block) for block in folded)
    assert "without a value yet</summary>" in kpis  # after a category's measured KPIs
    assert "none with a value yet</summary>" in kpis  # a category with none: one line
    assert "no KPI of this category has a value yet" not in kpis
    assert kpis.count('<tr id="kpi-') == 91  # every KPI is still on the page


def test_the_profile_filters_its_kpis_by_dimension_and_band(app, client, login, demo):
    login("city@example.org", PASSWORD)
    bizerte = _bizerte(app)
    every = client.get(f"/cities/{bizerte}").text.count('<tr id="kpi-')
    environment = client.get(f"/cities/{bizerte}?dimension=Environment").text
    shown = environment[environment.index('id="kpis"') : environment.index('id="projects"')]
    assert 0 < shown.count('<tr id="kpi-') < every
    assert "<h3>Environment</h3>" in shown and "<h3>Economy</h3>" not in shown
    unscored = client.get(f"/cities/{bizerte}?band=0").text
    assert "U4SSC band" in unscored and 0 < unscored.count('<tr id="kpi-') < every
    nothing = client.get(f"/cities/{bizerte}?dimension=Nowhere")
    assert nothing.status_code == 200 and "No KPI matches these filters" in nothing.text
    assert client.get(f"/cities/{bizerte}?band=9").text.count('<tr id="kpi-') == every
