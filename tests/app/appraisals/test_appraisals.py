"""Appraisal runs: run, keep, show, compare; role rules; summaries for other areas."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.appraisals.results import SUMMARY_KEYS
from app.core.extensions import db
from app.models import AppraisalRun, CashFlowLine, DeliveryModel, FlowKind, Project
from appraisal.errors import AppraisalError
from tests.app.conftest import csrf_token

EU = "EU 2014-2020|2014.12-eib2020carbon"


def add_flows(app, project_id: int, *, horizon: int = 15, revenue: float = 30_000.0, **model):
    """Capex in year 0, then opex, revenue, benefits and CO2 each operating year."""
    with app.app_context():
        project = db.session.get(Project, project_id)
        project.horizon_years = horizon
        for key, value in model.items():
            setattr(project, key, value)
        rows = [(0, FlowKind.CAPEX, 1_000_000.0)]
        for year in range(1, horizon):
            rows += [
                (year, FlowKind.OPEX_FIXED, 20_000.0),
                (year, FlowKind.REVENUE, revenue),
                (year, FlowKind.ECONOMIC_BENEFIT, 150_000.0),
                (year, FlowKind.CO2_TONNES, 100.0),
            ]
        for year, kind, amount in rows:
            if amount:
                db.session.add(
                    CashFlowLine(
                        project_id=project_id, year=year, kind=kind, amount=Decimal(str(amount))
                    )
                )
        db.session.commit()


@pytest.fixture
def project(app, make_project):
    made = make_project()
    add_flows(app, made.id)
    return made


@pytest.fixture
def staff(make_user, login):
    make_user()
    login("staff@example.org")


def appraise(client, project_id: int, **data):
    form = client.get(f"/projects/{project_id}/appraise")
    payload = {"csrf_token": csrf_token(form), "parameter_set": EU, "draws": "0"} | data
    return client.post(f"/projects/{project_id}/appraise", data=payload)


def run_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AppraisalRun))


def test_a_run_keeps_inputs_and_results_and_shows_them_with_their_price_base(
    app, client, staff, project
):
    answer = appraise(client, project.id, draws="1000", seed="7", financial_rate_pct="5")
    assert answer.status_code == 302
    assert re.fullmatch(rf"/projects/{project.id}/runs/\d+", answer.headers["Location"])
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        assert set(SUMMARY_KEYS) <= set(run.results["summary"])
        summary = run.results["summary"]
        assert summary["financial_discount_rate"] == pytest.approx(0.05)
        assert summary["price_basis"] == "EUR, constant 2024 prices"
        assert run.inputs["overrides"] == {"financial_discount_rate": pytest.approx(0.05)}
        assert run.inputs["parameter_set"]["name"] == "EU 2014-2020"
        assert run.inputs["monte_carlo"] | {"variables": None} == {
            "draws": 1000,
            "seed": 7,
            "variables": None,
        }
        assert sum(run.inputs["lines"]["capex"]) == 1_000_000.0
        assert run.results["monte_carlo"]["enpv"]["count"] == 1000
        assert run.verdict == summary["verdict"]
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200
    text = page.text
    assert "EUR, constant 2024 prices" in text and "(2024 prices)" in text
    for heading in ("Financial analysis", "Funding gap", "Economic analysis", "Verdict"):
        assert heading in text
    assert "Sensitivity of the ENPV" in text and "<svg" in text
    assert "Probability that the ENPV is negative" in text and "1,000 draws, seed 7" in text
    assert "5.0 %" in text  # the overridden rate, shown as a percentage


def test_an_irr_that_does_not_exist_is_shown_with_its_reason(app, client, staff, make_project):
    made = make_project()
    add_flows(app, made.id, revenue=0.0)  # opex and capex, no revenue: no FRR
    answer = appraise(client, made.id)
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200 and "no IRR" in page.text


def test_a_ppp_shows_value_for_money_and_debt_ratios(app, client, staff, make_project):
    made = make_project()
    add_flows(app, made.id, delivery_model=DeliveryModel.PPP_AVAILABILITY)
    answer = appraise(client, made.id)
    with app.app_context():
        ppp = db.session.scalars(sa.select(AppraisalRun)).one().results["ppp"]
    assert "error" not in ppp
    # Sculpted to the target DSCR, or above it when gearing caps the debt.
    assert ppp["debt"]["min_dscr"] >= ppp["assumptions"]["target_dscr"]["value"] - 1e-9
    assert ppp["vfm"]["psc"] > 0 and ppp["availability_payment"]["first_year"] > 0
    text = client.get(answer.headers["Location"]).text
    assert "Value for money" in text and "DSCR" in text and "LLCR" in text
    assert "default assumption" in text and "Equity IRR" in text


def test_an_engine_error_is_a_clear_message_and_nothing_is_saved(app, client, staff, make_project):
    made = make_project()  # no cash-flow lines at all
    answer = appraise(client, made.id)
    assert answer.status_code == 422
    assert "The appraisal cannot be computed" in answer.text and "Nothing was saved" in answer.text
    assert run_count(app) == 0


def test_bad_form_input_says_what_to_fix_and_keeps_it(app, client, staff, project):
    answer = appraise(client, project.id, capex_low="15", social_rate_pct="abc")
    assert answer.status_code == 400
    assert "Give a value between -95 and 0 %." in answer.text
    assert 'value="15"' in answer.text
    assert run_count(app) == 0


def test_two_runs_compare_side_by_side(app, client, staff, project):
    first = appraise(client, project.id).headers["Location"]
    second = appraise(client, project.id, social_rate_pct="3").headers["Location"]
    a, b = first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]
    page = client.get(f"/projects/{project.id}/runs/compare?a={a}&b={b}")
    assert page.status_code == 200
    assert "overrides · social discount rate" in page.text
    assert "Social discount rate" in page.text and "-2.0 points" in page.text
    assert "ENPV" in page.text and "Difference" in page.text
    assert client.get(f"/projects/{project.id}/runs/compare?a={a}").status_code == 400


def test_the_project_section_context_offers_the_runs(app, make_user, project):
    from app.appraisals.service import appraise_project, project_appraisal_context

    staff_user = make_user()
    with app.app_context():
        empty = project_appraisal_context(staff_user, db.session.get(Project, project.id))
        assert empty["runs"] == [] and empty["latest"] is None and empty["can_run"]
        run = appraise_project(staff_user, project.id, "EU 2014-2020", seed=1)
        ctx = project_appraisal_context(staff_user, db.session.get(Project, project.id))
        assert ctx["latest"].id == run.id and ctx["summary"]["verdict"] in ("accept", "reject")


def test_latest_summaries_take_the_newest_run_in_one_query(app, make_user, make_project):
    from app.appraisals.service import appraise_project, latest_summaries

    staff_user = make_user()
    one = make_project("One")
    two = make_project("Two", city=one.city, sector=one.sector)
    add_flows(app, one.id)
    add_flows(app, two.id)
    with app.app_context():
        appraise_project(staff_user, one.id, "EU 2014-2020", seed=1)
        newest = appraise_project(
            staff_user, one.id, "EU 2014-2020", overrides={"social_discount_rate": 0.03}, seed=1
        )
        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        summaries = latest_summaries([one.id, two.id])
        assert len(statements) == 1
        assert set(summaries) == {one.id}
        assert summaries[one.id] == newest.results["summary"]
        assert summaries[one.id]["social_discount_rate"] == pytest.approx(0.03)
        assert latest_summaries([]) == {}


def test_appraise_missing_appraises_each_project_once(app, make_project):
    from app.appraisals.service import appraise_missing

    appraisable = make_project("With flows")
    make_project("Without flows", city=appraisable.city, sector=appraisable.sector)
    add_flows(app, appraisable.id)
    with app.app_context():
        assert appraise_missing() == 1  # the one without flows cannot be appraised
        assert appraise_missing() == 0
        assert run_count(app) == 1
        with pytest.raises(AppraisalError, match="no parameter set named"):
            appraise_missing("EU 1990")


def test_a_seeded_demo_project_is_appraised_with_the_summary_keys(app, make_user):
    from app.appraisals.service import appraise_project
    from app.seeding import seed_database

    with app.app_context():
        seed_database(demo=True)
        staff_user = make_user()
        project = db.session.scalar(
            sa.select(Project).where(Project.slug == "karmoy-led-street-lighting")
        )
        run = appraise_project(staff_user, project.id, "EU 2014-2020", draws=1000, seed=3)
        assert set(SUMMARY_KEYS) <= set(run.results["summary"])
        assert run.results["ppp"] is not None  # an availability-payment PPP
        assert run.inputs["economic"]["labour_share_of_opex"] == pytest.approx(0.35)


def test_several_irrs_are_shown_with_their_reason(app, client, staff, make_project):
    made = make_project()
    with app.app_context():
        project = db.session.get(Project, made.id)
        project.horizon_years = 3
        # -100, +230, -132: the net flow changes sign twice, with IRRs of 10 % and 20 %.
        for year, kind, amount in (
            (0, FlowKind.CAPEX, "100"),
            (1, FlowKind.REVENUE, "230"),
            (2, FlowKind.REPLACEMENT, "132"),
        ):
            db.session.add(
                CashFlowLine(project_id=made.id, year=year, kind=kind, amount=Decimal(amount))
            )
        db.session.commit()
    answer = appraise(client, made.id)
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200 and "several IRRs (10.00%, 20.00%)" in page.text


def test_the_project_page_shows_the_section_by_role(app, client, login, make_user, make_project):
    from app.appraisals.service import appraise_project

    made = make_project(published=True)
    add_flows(app, made.id)
    staff_user = make_user()
    make_user("city@example.org", "city", city_slug="karmoy-no")
    with app.app_context():
        appraise_project(staff_user, made.id, "EU 2014-2020", seed=5)
    login("staff@example.org")
    page = client.get(f"/projects/{made.id}")
    assert page.status_code == 200
    assert "Latest appraisal" in page.text and 'value="Run appraisal"' in page.text
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    login("city@example.org")
    page = client.get(f"/projects/{made.id}")
    assert "Latest appraisal" in page.text and "Run appraisal" not in page.text


def test_a_project_without_capex_is_appraised_on_its_npv(app, client, staff, make_project):
    from app.appraisals.service import appraise_project

    made = make_project()
    add_flows(app, made.id)
    with app.app_context():
        db.session.execute(sa.delete(CashFlowLine).where(CashFlowLine.kind == FlowKind.CAPEX))
        db.session.commit()
        run = appraise_project(None, made.id, EU.split("|")[0])
        summary = run.results["summary"]
        assert summary["fnpv_c"] > 0 and summary["funding_gap_rate"] == 0.0
        assert "no investment" in run.results["financial"]["funding_gap"]["note"]
        url = f"/projects/{made.id}/runs/{run.id}"
    page = client.get(url)
    assert page.status_code == 200 and "no investment cost: no funding gap" in page.text


def test_the_run_list_says_which_runs_were_made_on_other_cash_flows(app, client, staff, project):
    appraise(client, project.id)
    page = client.get(f"/projects/{project.id}").text
    assert "Run " in page and "cash flows changed since" not in page
    with app.app_context():
        line = db.session.scalar(
            sa.select(CashFlowLine).where(
                CashFlowLine.project_id == project.id, CashFlowLine.kind == FlowKind.CAPEX
            )
        )
        line.amount = Decimal("1200000")
        db.session.commit()
    page = client.get(f"/projects/{project.id}").text
    assert page.count("cash flows changed since") == 1
    appraise(client, project.id)  # a new run on the new flows is current again
    assert client.get(f"/projects/{project.id}").text.count("cash flows changed since") == 1
