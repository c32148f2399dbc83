"""A project in its city's currency: the default, the conversion shown, a price base after
the data on a stated assumption, the appraisal in that currency, bad codes refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import AppraisalRun, City, Project
from tests.app.appraisals.test_appraisals import EU
from tests.app.conftest import csrf_token
from tests.app.projects import test_projects_data as shared
from tests.app.projects.test_projects_data import UNIT_COST_USD_2014, post_form, project_form

world, as_role = shared.world, shared.as_role

TND_PER_USD_2024 = 3.10745  # World Bank WDI PA.NUS.FCRF, Tunisia, 2024 (fx_annual.csv)
US_CPI = {2014: 236.736, 2023: 304.702, 2024: 313.689}  # BLS CPI-U (price_indices.csv)


@pytest.fixture
def bizerte(app, world):
    with app.app_context():
        db.session.get(City, world.other_city_id).currency = "TND"
        db.session.commit()
    return world.other_city_id


def bizerte_form(world, bizerte, **overrides):
    data = {"city_id": str(bizerte), "title": "LED street lighting for Bizerte"}
    return project_form(world, **(data | overrides))


def test_a_new_project_defaults_to_its_city_currency(app, world, as_role, bizerte):
    page = as_role("staff").get(f"/projects/new?city_id={bizerte}")
    assert page.status_code == 200
    assert '<option selected value="TND">TND (Tunisia)</option>' in page.text
    assert '<option value="NOK">NOK (Norway)</option>' in page.text


def test_a_project_in_tnd_with_a_2026_base_shows_each_step_and_the_assumption(
    app, world, as_role, bizerte
):
    client = as_role("staff")
    form = bizerte_form(world, bizerte, currency="TND", price_base_year="2026")
    answer = post_form(client, "/projects/new", form)
    assert answer.status_code == 302
    with app.app_context():
        project = db.session.scalars(select(Project)).one()
        growth = US_CPI[2024] / US_CPI[2023]
        unit = UNIT_COST_USD_2014 * US_CPI[2024] / US_CPI[2014] * growth**2 * TND_PER_USD_2024
        assert (project.currency, project.price_base_year) == ("TND", 2026)
        assert float(project.capex_total) == pytest.approx(4500 * unit, rel=1e-6)
    text = client.get(answer.headers["Location"]).text
    assert "USD 2014 -&gt; USD 2026 prices with us_cpi_u_annual_avg" in text
    assert "assumed: 2024 inflation of 2.9 % carried forward to 2026" in text
    assert "x 3.10745 TND per USD" in text
    assert "assumed: the 2024 rate (3.10745 TND per USD) carried forward to 2026" in text


def test_the_appraisal_runs_in_tnd_and_shows_the_carbon_price_conversion(
    app, world, as_role, bizerte
):
    client = as_role("staff")
    form = bizerte_form(world, bizerte, currency="TND", price_base_year="2026")
    project_url = post_form(client, "/projects/new", form).headers["Location"]
    project_id = int(project_url.rsplit("/", 1)[1])
    page = client.get(f"/projects/{project_id}/appraise")
    answer = client.post(
        f"/projects/{project_id}/appraise",
        data={"csrf_token": csrf_token(page), "parameter_set": EU, "draws": "0"},
    )
    assert answer.status_code == 302
    with app.app_context():
        run = db.session.scalars(select(AppraisalRun)).one()
        assert run.results["summary"]["price_basis"] == "TND, constant 2026 prices"
    text = client.get(answer.headers["Location"]).text
    assert "TND, constant 2026 prices" in text
    assert "EUR 2016 -&gt; EUR 2026 prices with euro_area_hicp_annual" in text
    assert "x 1.0824 USD per EUR x 3.10745 TND per USD" in text


@pytest.mark.parametrize("code", ["XYZ", "HRK", "tnd", "TWD"])
def test_a_currency_without_data_is_refused_on_its_field(app, world, as_role, bizerte, code):
    client = as_role("staff")
    answer = post_form(client, "/projects/new", bizerte_form(world, bizerte, currency=code))
    assert answer.status_code == 400
    assert "Choose a currency of the list" in answer.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Project)) == 0
