"""Yearly progress reports and KPI trajectories: who files and sees what, validation,
one report per city, project and year, and the trajectory chart."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import AuditLog, KpiActual, ProgressReport
from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD, csrf_token

world = test_profiles.world  # the shared fixture


def new_url(world, city="karmoy") -> str:
    return f"/cities/{world[city]}/progress/new"


def rows_of(html: str) -> dict[str, str]:
    """Hidden KPI ids of the actuals table, by field name."""
    return dict(re.findall(r'name="(actuals-\d+-kpi_id)" type="hidden" value="(\d+)"', html))


def file(client, url, **values):
    page = client.get(url)
    data = {
        "csrf_token": csrf_token(page),
        "year": "2025",
        "status": "delayed",
        "narrative": "Leak detection started in two zones; procurement of meters slipped.",
        **rows_of(page.text),
        **values,
    }
    project = re.search(r'name="project_id" type="hidden" value="(\d*)"', page.text)
    data.setdefault("project_id", project.group(1) if project else "")
    return client.post(url.split("?")[0], data=data)


def reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProgressReport))


@pytest.mark.parametrize(
    "path", ["/monitoring", "/cities/{karmoy}/progress/new", "/cities/{karmoy}/trajectory"]
)
def test_anonymous_visitors_are_sent_to_login(client, world, path):
    response = client.get(path.format(**world))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_city_files_a_city_report_with_actuals_and_sees_it(app, client, login, world):
    login("city@example.org", PASSWORD)
    form = client.get(new_url(world))
    assert form.status_code == 200 and "Water Supply Loss" in form.text  # largest gap first
    index = next(k for k, v in rows_of(form.text).items() if v == str(world["loss"]))
    prefix = index.removesuffix("-kpi_id")
    filed = file(client, new_url(world), **{f"{prefix}-planned": "30", f"{prefix}-actual": "33.5"})
    assert filed.status_code == 302
    detail = client.get(filed.headers["Location"])
    assert detail.status_code == 200 and "Delayed" in detail.text
    assert "33.50 %" in detail.text and "30 %" in detail.text and "3.50 %" in detail.text
    with app.app_context():
        [actual] = db.session.scalars(select(KpiActual)).all()
        assert (actual.kpi_id, actual.planned, actual.actual) == (world["loss"], 30.0, 33.5)
        assert db.session.scalar(select(ProgressReport.project_id)) is None
        assert db.session.scalar(
            select(AuditLog.action).where(AuditLog.entity == "progress_report")
        )
    listing = client.get("/monitoring")
    assert "The city as a whole" in listing.text and "Karmøy" in listing.text


def test_project_report_offers_the_projects_kpis(app, client, login, world):
    login("staff@example.org", PASSWORD)
    url = f"{new_url(world)}?project_id={world['karmoy_project']}"
    form = client.get(url)
    assert "Project: Karmøy leak detection draft" in form.text
    assert list(rows_of(form.text).values()) == [str(world["loss"])]
    filed = file(client, url, **{"actuals-0-actual": "31"})
    assert filed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ProgressReport.project_id)) == world["karmoy_project"]


def test_invalid_report_says_what_to_fix_and_keeps_what_was_typed(app, client, login, world):
    login("city@example.org", PASSWORD)
    response = file(
        client,
        new_url(world),
        year="20x5",
        narrative="",
        status="on_track",
        **{"actuals-0-planned": "twelve", "actuals-0-actual": "12.5"},
    )
    assert response.status_code == 400
    assert "is not a number: enter a whole number from 1900 to 2200, e.g. 2030" in response.text
    assert "Describe the progress of the year" in response.text
    assert "twelve&#39; is not a number: enter a number" in response.text
    assert 'value="20x5"' in response.text and 'value="twelve"' in response.text
    assert 'value="12.5"' in response.text and '<option selected value="on_track">' in (
        response.text
    )
    assert reports(app) == 0


def test_a_second_report_for_the_same_year_is_refused_clearly(app, client, login, world):
    login("city@example.org", PASSWORD)
    assert file(client, new_url(world)).status_code == 302
    again = file(client, new_url(world), narrative="A second try for the same year.")
    assert again.status_code == 409
    assert "exists already" in again.text and "A second try for the same year." in again.text
    assert reports(app) == 1
    other_year = file(client, new_url(world), year="2024")
    assert other_year.status_code == 302 and reports(app) == 2


def test_reports_are_seen_by_staff_and_the_own_city_only(app, client, login, world):
    login("other@example.org", PASSWORD)
    assert file(client, new_url(world, "bizerte"), year="2024").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    login("city@example.org", PASSWORD)
    assert file(client, new_url(world)).status_code == 302
    listing = client.get("/monitoring").text
    assert "Karmøy" in listing and "Bizerte" not in listing
    assert client.get(new_url(world, "bizerte")).status_code == 403
    with app.app_context():
        theirs = db.session.scalar(
            select(ProgressReport.id).where(ProgressReport.city_id == world["bizerte"])
        )
    assert client.get(f"/monitoring/{theirs}").status_code == 403
    assert client.get(f"/cities/{world['bizerte']}/trajectory").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})

    login("staff@example.org", PASSWORD)
    everything = client.get("/monitoring").text
    assert "Karmøy" in everything and "Bizerte" in everything
    filtered = client.get(f"/monitoring?city_id={world['bizerte']}&year=2024").text
    assert "Bizerte" in filtered and "Karmøy</a>" not in filtered
    assert "0 in all" in client.get("/monitoring?year=2019").text
    by_name = client.get("/monitoring?city=bize").text
    assert "1 in all" in by_name and "Bizerte" in by_name
    app.config["PAGE_SIZE"] = 1
    first = client.get("/monitoring").text
    assert "2 in all" in first and "page 1 of 2" in first and 'rel="next"' in first


def test_partner_may_not_see_or_file_reports(client, login, world):
    login("partner@example.org", PASSWORD)
    assert client.get("/monitoring").status_code == 403
    assert client.get(new_url(world)).status_code == 403
    assert client.get(f"/cities/{world['karmoy']}/trajectory").status_code == 403


def test_trajectory_plots_values_and_actuals_against_the_target(client, login, world):
    login("city@example.org", PASSWORD)
    file(client, new_url(world), **{"actuals-0-planned": "30", "actuals-0-actual": "33.5"})
    page = client.get(f"/cities/{world['karmoy']}/trajectory?kpi_id={world['loss']}")
    assert page.status_code == 200
    svg = re.search(r"<svg .*?</svg>", page.text, re.S)
    assert svg and 'role="img"' in svg.group(0)
    label = re.search(r'aria-label="([^"]+)"', svg.group(0)).group(1)
    assert "recorded value 2018: 40, 2020: 35.42" in label
    assert "reported actual 2025: 33.5" in label and "target 20" in label
    assert f'<option value="{world["loss"]}" selected>' in page.text
    assert client.get(f"/cities/{world['karmoy']}/trajectory?kpi_id=999999").status_code == 404
