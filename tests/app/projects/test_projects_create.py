"""Formulating a project at /projects/new: from a catalogue solution, by hand, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import AuditLog, CashFlowLine, FlowKind, Project, Stage
from tests.app.projects import test_projects_data as shared
from tests.app.projects.test_projects_data import post_form, project_form, unit_cost_eur_2024

world, as_role = shared.world, shared.as_role  # fixtures shared by the project tests


def project_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Project))


def test_create_from_a_template_scales_and_converts_the_unit_cost(app, world, as_role):
    client = as_role("staff")
    response = post_form(client, "/projects/new", project_form(world))
    assert response.status_code == 302
    with app.app_context():
        project = db.session.scalars(select(Project)).one()
        assert response.headers["Location"].endswith(f"/projects/{project.id}")
        assert project.stage is Stage.FORMULATED
        expected = 4500 * unit_cost_eur_2024()
        assert float(project.capex_total) == pytest.approx(expected, abs=0.01)
        lines = {(line.year, line.kind): line.amount for line in project.cash_flows}
        assert sum(a for (_, k), a in lines.items() if k is FlowKind.CAPEX) == project.capex_total
        assert lines[(1, FlowKind.ECONOMIC_BENEFIT)] == 273000
        assert lines[(1, FlowKind.CO2_TONNES)] == 40
        assert (0, FlowKind.CO2_TONNES) not in lines  # nothing avoided while building
        assert project.assumptions["labour_share_of_opex"] == pytest.approx(0.35)
        assert any("Unit cost as published" in line for line in project.assumptions["cost_basis"])
        assert [k.id for k in project.kpis] == [world.kpi_ids[0]]
        assert project.local_conditions == [
            "energy performance contract framework",
            "municipal guarantee",
        ]
        audit = db.session.scalars(select(AuditLog).where(AuditLog.entity == "project")).one()
        assert audit.entity_id == str(project.id)
        project_id = project.id
    page = client.get(f"/projects/{project_id}")
    assert page.status_code == 200
    assert "Unit cost as published" in page.text  # the conversion is explained
    assert "EUR, constant 2024 prices" in page.text
    assert "Electricity consumption" in page.text


def test_percentages_entered_as_percentages_become_decimals(app, world, as_role):
    client = as_role("staff")
    form = project_form(world, labour_share_pct="12.5", template_id="", scale_quantity="")
    assert post_form(client, "/projects/new", form).status_code == 302
    with app.app_context():
        project = db.session.scalars(select(Project)).one()
        assert project.assumptions["labour_share_of_opex"] == pytest.approx(0.125)
    edit = client.get(f"/projects/{project.id}/edit")
    assert 'value="12.5"' in edit.text  # shown again as a percentage


def test_without_a_template_the_yearly_inputs_are_laid_out_by_hand(app, world, as_role):
    client = as_role("staff")
    form = project_form(world, template_id="", scale_quantity="", annual_revenue="64000")
    assert post_form(client, "/projects/new", form).status_code == 302
    with app.app_context():
        project = db.session.scalars(select(Project)).one()
        assert project.template_id is None and project.capex_total == 0
        revenue = db.session.scalars(
            select(CashFlowLine.year).where(CashFlowLine.kind == FlowKind.REVENUE)
        ).all()
        assert sorted(revenue) == list(range(1, 20))


def test_bad_input_is_refused_keeping_what_was_typed_and_naming_the_field(app, world, as_role):
    client = as_role("staff")
    form = project_form(
        world, title="", horizon_years="twenty", labour_share_pct="150", scale_quantity="12x"
    )
    response = post_form(client, "/projects/new", form)
    assert response.status_code == 400
    text = response.text
    assert "The project was not saved" in text
    assert "Give the project a title." in text
    assert "&#39;twenty&#39; is not a number" in text and 'value="twenty"' in text
    assert "150&#39; is out of range: enter a number from 0 to 100" in text
    assert 'value="150"' in text
    assert 'value="12x"' in text
    assert "Horizon (years, construction included)</a>" in text  # the summary names the field
    assert "Replace sodium lamps." in text  # the rest is kept too
    assert project_count(app) == 0


def test_a_template_needs_a_quantity_and_its_own_sector(app, world, as_role, make_sector):
    client = as_role("staff")
    response = post_form(client, "/projects/new", project_form(world, scale_quantity=""))
    assert response.status_code == 400
    assert "Enter how many units of the catalogue solution" in response.text
    other = make_sector(slug="mobility", name="Urban Mobility", position=3)
    response = post_form(client, "/projects/new", project_form(world, sector_id=str(other.id)))
    assert response.status_code == 400
    assert "belongs to the sector Energy" in response.text
    assert project_count(app) == 0


def test_a_price_base_after_the_data_is_built_on_a_stated_assumption(app, world, as_role):
    client = as_role("staff")
    response = post_form(client, "/projects/new", project_form(world, price_base_year="2035"))
    assert response.status_code == 302
    assert project_count(app) == 1
    page = client.get(response.headers["Location"]).text
    assert "EUR 2024 -&gt; EUR 2035 prices" not in page  # inflation stays in USD, then EUR
    assert "assumed: 2024 inflation of 2.9 % carried forward to 2035" in page
    assert "assumed: the 2024 rate (1.0824 USD per EUR) carried forward to 2035" in page


def test_the_profile_link_prefills_the_form(app, world, as_role):
    client = as_role("staff")
    url = (
        f"/projects/new?city_id={world.city_id}&template_id={world.template_id}"
        f"&kpi_ids={world.renewables_id}&quantity=250"
    )
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    assert f'<option selected value="{world.template_id}">' in text
    assert f'<option selected value="{world.city_id}">' in text
    assert f'<option selected value="{world.sector_id}">' in text
    assert 'value="250.0"' in text or 'value="250"' in text
    assert f'value="{world.renewables_id}" id="kpi_ids-{world.renewables_id}" checked' in text
    assert "LED street lighting retrofit for Karm" in text
    assert "(now at 50% of target)" in text  # the city's current gap on that KPI
