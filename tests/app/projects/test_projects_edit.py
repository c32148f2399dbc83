"""Editing a project and its cash-flow table: version conflicts keep what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, FlowKind, Project, User
from app.projects.service import update_project
from tests.app.conftest import csrf_token
from tests.app.projects import test_projects_data as shared
from tests.app.projects.test_projects_data import post_form, project_form

world, as_role = shared.world, shared.as_role  # fixtures shared by the project tests


@pytest.fixture
def project_id(app, world, as_role):
    client = as_role("staff")
    response = post_form(client, "/projects/new", project_form(world))
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def someone_else_saves(app, project_id, title="Their title"):
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        project = db.session.get(Project, project_id)
        update_project(staff, project_id, project.version, {"title": title})


def load(app, project_id) -> Project:
    with app.app_context():
        project = db.session.get(Project, project_id)
        project.lines = {(line.year, line.kind): line.amount for line in project.cash_flows}
        return project


def test_edit_saves_and_records_the_change(app, client, world, project_id):
    form = project_form(world, title="LED lighting, phase 1", version="1", horizon_years="10")
    response = post_form(client, f"/projects/{project_id}/edit", form)
    assert response.status_code == 302
    project = load(app, project_id)
    assert project.title == "LED lighting, phase 1" and project.version == 2
    assert max(year for year, _ in project.lines) == 9  # lines beyond the horizon are gone
    with app.app_context():
        audit = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "update", AuditLog.entity == "project")
        ).one()
        assert audit.changes["title"]["to"] == "LED lighting, phase 1"


def test_a_stale_edit_shows_the_conflict_and_keeps_what_was_typed(app, client, world, project_id):
    page = client.get(f"/projects/{project_id}/edit")  # opened at version 1
    assert 'name="version" type="hidden" value="1"' in page.text
    someone_else_saves(app, project_id)
    form = project_form(world, title="My title", version="1") | {"csrf_token": csrf_token(page)}
    response = client.post(f"/projects/{project_id}/edit", data=form)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert 'value="My title"' in response.text  # what I typed is still there
    assert 'name="version" type="hidden" value="2"' in response.text  # a second save may win
    assert load(app, project_id).title == "Their title"


def test_rebuild_on_edit_scales_the_new_quantity(app, client, world, project_id):
    before = load(app, project_id).capex_total
    form = project_form(world, scale_quantity="9000", version="1", rebuild_flows="y")
    assert post_form(client, f"/projects/{project_id}/edit", form).status_code == 302
    after = load(app, project_id)
    assert after.capex_total == pytest.approx(2 * before, abs=Decimal("0.02"))
    assert after.lines[(0, FlowKind.CAPEX)] + after.lines[(1, FlowKind.CAPEX)] == after.capex_total


def table_form(project: Project, **cells) -> dict:
    """The table as shown, with ``cells`` (name -> typed text) changed."""
    data = {f"y{year}_{kind.value}": f"{amount}" for (year, kind), amount in project.lines.items()}
    return data | {"version": str(project.version)} | cells


def test_the_cash_flow_table_is_saved_whole_with_a_new_version(app, client, project_id):
    project = load(app, project_id)
    page = client.get(f"/projects/{project_id}/cashflows")
    assert page.status_code == 200
    assert "EUR, constant 2024 prices" in page.text
    assert 'aria-label="Capex, 2026"' in page.text
    form = table_form(project, y0_capex="1 000 000", y1_capex="", y3_externality="-2500")
    response = client.post(
        f"/projects/{project_id}/cashflows", data=form | {"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    saved = load(app, project_id)
    assert saved.capex_total == Decimal("1000000.00")
    assert saved.lines[(3, FlowKind.EXTERNALITY)] == Decimal("-2500.00")
    assert (1, FlowKind.CAPEX) not in saved.lines
    assert saved.version == project.version + 1


def test_wrong_cells_are_named_by_year_and_kind_and_nothing_is_saved(app, client, project_id):
    project = load(app, project_id)
    form = table_form(project, y0_capex="-5", y2_revenue="lots", y4_co2_tonnes="-3")
    response = post_form(client, f"/projects/{project_id}/cashflows", form)
    assert response.status_code == 400
    assert "Year 2026 (year 0), Capex: -5 is negative" in response.text
    assert "Year 2028 (year 2), Revenue: &#39;lots&#39; is not a number" in response.text
    assert "CO2 avoided (tonnes): -3" not in response.text  # extra emissions may be negative
    assert 'value="lots"' in response.text and 'value="-5"' in response.text
    assert load(app, project_id).lines == project.lines


def test_a_stale_cash_flow_table_is_refused_keeping_the_typed_cells(app, client, project_id):
    project = load(app, project_id)
    page = client.get(f"/projects/{project_id}/cashflows")
    someone_else_saves(app, project_id)
    form = table_form(project, y0_capex="123456") | {"csrf_token": csrf_token(page)}
    response = client.post(f"/projects/{project_id}/cashflows", data=form)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert 'value="123456"' in response.text
    assert load(app, project_id).lines == project.lines


def test_rebuild_from_the_template_restores_the_table(app, client, project_id):
    original = load(app, project_id)
    form = table_form(original, y0_capex="1")
    assert post_form(client, f"/projects/{project_id}/cashflows", form).status_code == 302
    edited = load(app, project_id)
    response = post_form(
        client,
        f"/projects/{project_id}/cashflows/rebuild",
        {"version": str(edited.version)},
        page=f"/projects/{project_id}/cashflows",
    )
    assert response.status_code == 302
    rebuilt = load(app, project_id)
    assert rebuilt.lines == original.lines and rebuilt.capex_total == original.capex_total


def test_an_edit_that_cannot_be_built_changes_nothing(app, client, world, project_id):
    before = load(app, project_id)
    # Zimbabwe's ZWL rates start in 2020: nothing is assumed before the data.
    form = project_form(
        world,
        title="Renamed",
        currency="ZWL",
        price_base_year="2015",
        version="1",
        rebuild_flows="y",
    )
    response = post_form(client, f"/projects/{project_id}/edit", form)
    assert response.status_code == 400
    assert "year 2015 is outside the years of &#39;ZWL per USD&#39; (2020-2024)" in response.text
    after = load(app, project_id)
    assert (after.title, after.version, after.lines) == (before.title, 1, before.lines)
