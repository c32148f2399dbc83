"""The financing plan page: the form round trip, each bad input on its field, roles."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import ProjectFinancingPlan
from tests.app.conftest import csrf_token
from tests.app.financing.conftest import hand_form


@pytest.fixture
def staff(make_user, login):
    make_user()
    login("staff@example.org")


def post(client, project_id: int, **data):
    page = client.get(f"/projects/{project_id}/financing")
    assert page.status_code == 200
    return client.post(
        f"/projects/{project_id}/financing", data={"csrf_token": csrf_token(page)} | data
    )


def saved_terms(app):
    with app.app_context():
        return db.session.scalars(sa.select(ProjectFinancingPlan.terms)).all()


def test_the_form_round_trip(app, client, staff, project):
    answer = post(client, project.id, **hand_form())
    assert answer.status_code == 302
    (terms,) = saved_terms(app)
    assert terms["loans"]["ifi_loan"] == {
        "amount": 500_000.0,
        "rate": 0.04,
        "tenor": 4,
        "grace": 1,
        "profile": "linear",
        "upfront_fee": 0.01,
        "city_carries": True,
    }
    assert terms["residual_shares"] == {"city_budget": 0.6, "national_grant": 0.4}
    assert terms["sources"]["equity"] == [50_000.0, 0, 0, 0, 0, 0]
    page = client.get(f"/projects/{project.id}")
    assert "Financing plan" in page.text and "<svg" in page.text
    assert "Minimum DSCR" in page.text and "1.07" in page.text
    assert "above the threshold in 2030, 2031, 2032" in page.text
    assert "EUR, constant 2024 prices" in page.text
    form = client.get(f"/projects/{project.id}/financing").text
    assert 'value="180000"' in form and 'value="4"' in form and 'value="60"' in form
    assert "600,000" in form and "The saved plan" in form  # capex to finance, the plan
    assert "Debt service schedule: IFI loan" in page.text
    again = post(client, project.id, **hand_form(version=1))
    assert again.status_code == 302 and len(saved_terms(app)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"share_city_budget": "", "share_national_grant": ""}, None,
         "sources fall short of uses in 2027 (EUR 75,000.00), 2028 (EUR 102,000.00)"),
        ({"ifi_loan_tenor": "-2"}, "ifi_loan_tenor", "enter a whole number from 1 to 60"),
        ({"ifi_loan_grace": "4"}, "ifi_loan_grace", "shorter than the tenor"),
        ({"ifi_loan_rate": "60"}, "ifi_loan_rate", "enter a number from -5 to 50 %"),
        ({"ifi_loan_rate": "-6"}, "ifi_loan_rate", "enter a number from -5 to 50 %"),
        ({"share_national_grant": "30"}, "share_city_budget", "add up to 90 %, not 100 %"),
        ({"y0_equity": "-5"}, None, "Equity, 2027 (EUR): &#39;-5&#39; is out of range"),
    ],
)  # fmt: skip
def test_bad_input_is_named_on_its_field_and_nothing_is_saved(
    app, client, staff, project, changes, field, message
):
    answer = post(client, project.id, **hand_form(**changes))
    assert answer.status_code == 400
    assert message in answer.text
    if field:
        assert f'id="{field}-error"' in answer.text
    assert "The financing plan was not saved" in answer.text
    assert saved_terms(app) == []


def test_a_stale_form_is_a_conflict(app, client, staff, project):
    assert post(client, project.id, **hand_form()).status_code == 302
    answer = post(client, project.id, **hand_form(version=0, guarantees="1"))
    assert answer.status_code == 409
    assert "changed by someone else" in answer.text
    assert re.search(r'name="version" type="hidden" value="1"', answer.text)
    assert saved_terms(app)[0]["guarantees"] == 250_000.0


def test_the_projects_city_edits_its_plan(app, client, login, make_user, project):
    make_user("city@example.org", "city", city_slug="karmoy-no")
    login("city@example.org")
    assert post(client, project.id, **hand_form()).status_code == 302
    assert "Edit the financing plan" in client.get(f"/projects/{project.id}").text


def test_another_city_cannot_open_the_plan(
    app, client, login, make_user, make_city, make_country, project
):
    make_city(slug="tunis-tn", name="Tunis", country=make_country("TN", "TUN", "Tunisia"))
    make_user("other@example.org", "city", city_slug="tunis-tn")
    login("other@example.org")
    assert client.get(f"/projects/{project.id}/financing").status_code == 403
    assert saved_terms(app) == []


def test_an_old_run_shows_the_plan_it_was_made_with(app, client, staff, project):
    from app.appraisals.service import appraise_project
    from app.models import User

    assert post(client, project.id, **hand_form()).status_code == 302
    with app.app_context():
        staff_user = db.session.scalar(sa.select(User))
        run = appraise_project(staff_user, project.id, "EU 2014-2020")
        run_id = run.id
    assert post(client, project.id, **hand_form(version=1, city_budget="")).status_code == 302
    page = client.get(f"/projects/{project.id}/runs/{run_id}")
    assert "Financing plan, as it was for this run" in page.text
    assert "above the threshold in 2030, 2031, 2032" in page.text
    assert "above the threshold" not in client.get(f"/projects/{project.id}").text


def test_a_project_without_capex_is_told_to_enter_it(app, client, staff, make_project):
    bare = make_project(title="No cash flows yet")
    answer = post(client, bare.id, **hand_form())
    assert answer.status_code == 400
    assert "no capex to finance; enter its capex in the cash flows" in answer.text
    assert saved_terms(app) == []
