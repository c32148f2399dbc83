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
