"""Every list downloads as CSV and XLSX, as its page shows it to the same user."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.appraisals.service import appraise_missing
from app.bundles.demo import create_demo_bundle
from app.core.extensions import db
from app.models import Bundle, City, Project
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        create_demo_bundle()
        return {
            "karmoy": db.session.scalar(select(City.id).where(City.slug == "karmoy-no")),
            "bundle": db.session.scalar(select(Bundle.id)),
            "drafts": db.session.scalars(
                select(Project.title).where(Project.published.is_(False))
            ).all(),
        }


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.text[:300]
    if response.mimetype == "text/csv":
        return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_a_citys_kpi_values_download_in_the_import_format_and_import_back_unchanged(
    app, client, login, runner, demo, tmp_path
):
    login("staff@example.org", PASSWORD)
    response = client.get(f"/cities/{demo['karmoy']}/kpis.csv")
    rows = rows_of(response)
    assert rows and {"city", "country", "year", "kpi_code", "value", "unit", "source"} <= set(
        rows[0]
    )
    assert any(r["kpi_code"] == "EC: ICT: ICT: 1C" and r["value"] == "97.0" for r in rows)
    path = tmp_path / "karmoy.csv"
    path.write_bytes(response.data)
    again = runner.invoke(args=["import", "kpis", str(path), "--dry-run"])
    assert f"0 new, 0 changed, {len(rows)} unchanged, 0 refused" in again.output, again.output


def test_lists_download_as_csv_and_xlsx_with_units_in_headers(app, client, login, demo):
    login("staff@example.org", PASSWORD)
    cities = rows_of(client.get("/cities.xlsx"))
    assert any(r["city"] == "Karmøy" and r["population (inhabitants)"] == 43990 for r in cities)
    projects = rows_of(client.get("/projects.csv?stage=published"))
    assert projects and all(r["stage"] == "published" for r in projects)
    assert "capex (project currency, price base year)" in projects[0]
    bundle = rows_of(client.get(f"/bundles/{demo['bundle']}.xlsx"))
    assert bundle and any("ENPV (EUR" in key for key in bundle[0])


def test_a_partner_downloads_its_opportunities_and_interests_and_no_drafts(
    app, client, login, demo
):
    login("partner@example.org", PASSWORD)
    opportunities = rows_of(client.get("/opportunities.csv"))
    assert opportunities and opportunities[0]["rank"] == "1"
    assert float(opportunities[0]["fit (0-1)"]) >= float(opportunities[-1]["fit (0-1)"])
    assert not {r["title"] for r in opportunities} & set(demo["drafts"])
    projects = rows_of(client.get("/projects.xlsx"))
    assert not {r["title"] for r in projects} & set(demo["drafts"])
    assert rows_of(client.get("/opportunities/interests.csv")) is not None
    assert client.get(f"/bundles/{demo['bundle']}.csv").status_code in (403, 404)
    assert client.get("/cities.pdf").status_code == 404
