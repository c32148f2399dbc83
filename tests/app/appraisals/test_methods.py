"""Methods a project chooses beside the defaults: residual value by the PV of net flows
after the period, the flat-rate net revenue; on the run page and in the pipeline."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.appraisals.batch_results import _usual, compute_many
from app.appraisals.results import compute_results
from app.core.extensions import db
from app.models import AppraisalRun, Project
from tests.app.appraisals.test_appraisals import add_flows, appraise, run_count, staff
from tests.app.appraisals.test_pipeline import SET, as_kept, differences

__all__ = ["staff"]  # the fixture, used by name


def _choose(app, project_id: int, assumptions: dict) -> None:
    with app.app_context():
        db.session.get(Project, project_id).assumptions = assumptions
        db.session.commit()


@pytest.fixture
def chosen(app, make_project):
    made = make_project()
    add_flows(app, made.id)
    _choose(
        app,
        made.id,
        {
            "residual": {"method": "net_flows", "remaining_life": 10},
            "flat_rate_sector": "water",
        },
    )
    return made


def test_the_run_page_shows_the_residual_value_and_flat_rate_with_their_sources(
    app, client, staff, chosen
):
    answer = appraise(client, chosen.id)
    assert answer.status_code == 302
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        methods = run.results["methods"]
        # Revenue 30,000 less opex 20,000 a year, for 10 years at the 4 % financial rate.
        factor = (1 - 1.04**-10) / 0.04
        assert methods["residual"]["value"] == pytest.approx(10_000.0 * factor)
        assert run.results["flows"]["residual"][-1] == pytest.approx(10_000.0 * factor)
        assert methods["flat_rate"]["decision_amount"] == pytest.approx(750_000.0)
        assert methods["flat_rate"]["grant"] == pytest.approx(750_000.0 * 0.85)
    text = client.get(answer.headers["Location"]).text
    assert "present value of net flows after the reference period" in text
    assert "section 2.8.2" in text and "Annex V" in text
    assert "81,109" in text  # 10,000 x the 10-year, 4 % annuity factor 8.1109


def test_a_bad_remaining_life_is_a_clear_message_and_nothing_is_saved(
    app, client, staff, make_project
):
    made = make_project()
    add_flows(app, made.id)
    _choose(app, made.id, {"residual": {"method": "net_flows", "remaining_life": 0}})
    answer = appraise(client, made.id)
    assert answer.status_code == 422
    assert "remaining life is 0 years" in answer.text
    assert run_count(app) == 0


def test_without_a_chosen_method_the_run_has_none(app, client, staff, make_project):
    made = make_project()
    add_flows(app, made.id)
    appraise(client, made.id)
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        assert run.results["methods"] is None
        assert run.inputs["methods"] == {}


def test_the_pipeline_sends_a_chosen_method_to_the_single_path(app, chosen):
    with app.app_context():
        from app.appraisals.service import _project, _snapshot

        snap = _snapshot(_project(chosen.id), SET, seed=chosen.id)
        assert not _usual(snap)
        assert differences(as_kept(compute_results(snap)), as_kept(compute_many([snap])[0])) == []


def test_a_nominal_project_is_discounted_at_the_fisher_rate_and_shows_its_inflation(
    app, client, staff, make_project
):
    """Exact formula: nominal rate (1 + 4 %)(1 + 2 %) - 1 = 6.08 %; the economic analysis
    runs on the lines deflated by their own rates."""
    made = make_project()
    add_flows(app, made.id, price_basis="nominal")
    _choose(app, made.id, {"inflation": {"general": 0.02, "opex": 0.03}})
    answer = appraise(client, made.id)
    assert answer.status_code == 302
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        nominal = run.results["methods"]["nominal"]
        assert nominal["financial_nominal"] == pytest.approx(0.0608)
        assert nominal["rates"] == {
            "capex": 0.02,
            "opex": 0.03,
            "revenue": 0.02,
            "benefits": 0.02,
        }
        lines = run.inputs["lines"]
        years = range(len(lines["capex"]))
        base = run.inputs["project"]["price_base_year"] - run.inputs["project"]["start_year"]
        net = [lines["revenue"][t] - lines["fixed_opex"][t] - lines["capex"][t] for t in years]
        fnpv = sum(f / 1.0608**t for t, f in zip(years, net, strict=True))
        assert run.results["financial"]["fnpv_c"] == pytest.approx(fnpv)
        real_benefit = [b / 1.02 ** (t - base) for t, b in enumerate(lines["economic_benefit"])]
        assert run.results["economic"]["lines_pv"]["benefit:economic benefit"] == pytest.approx(
            sum(b / 1.05**t for t, b in enumerate(real_benefit))
        )
    text = client.get(answer.headers["Location"]).text
    assert "6.08 % nominal" in text and "Fisher" in text
    assert "the ECB" not in text  # the project gave its own general rate


def test_a_nominal_project_without_inflation_is_told_the_default_it_ran_on(
    app, client, staff, make_project
):
    made = make_project()
    add_flows(app, made.id, price_basis="nominal")
    answer = appraise(client, made.id)
    assert answer.status_code == 302
    text = client.get(answer.headers["Location"]).text
    assert "ECB&#39;s 2 % medium-term inflation target" in text or "ECB's 2 %" in text


def test_a_bad_inflation_rate_is_a_clear_message_and_nothing_is_saved(
    app, client, staff, make_project
):
    made = make_project()
    add_flows(app, made.id, price_basis="nominal")
    _choose(app, made.id, {"inflation": {"general": 0.02, "revenue": -1.5}})
    answer = appraise(client, made.id)
    assert answer.status_code == 422
    assert "revenue inflation is -1.5" in answer.text
    assert run_count(app) == 0


def test_a_run_shows_the_enpv_under_each_carbon_path_and_each_scenario(
    app, client, staff, make_project
):
    """Exact identities: the ENPVs differ from the run's by the present value of the CO2
    line at the other path; the base scenario gives the run's FNPV/C, ENPV and B/C."""
    made = make_project()
    add_flows(app, made.id)
    _choose(app, made.id, {"carbon_variants": True, "scenarios": True})
    answer = appraise(client, made.id, parameter_set="World Bank|2016-disc-2017-scp-low")
    assert answer.status_code == 302
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        r = run.results
        variants = {v["label"]: v for v in r["methods"]["carbon_variants"]["variants"]}
        assert set(variants) == {"low", "high"}
        assert variants["low"]["enpv"] == pytest.approx(r["economic"]["enpv"])  # the set's own
        assert variants["high"]["enpv"] > variants["low"]["enpv"]
        cases = {c["name"]: c for c in r["methods"]["scenarios"]["cases"]}
        assert list(cases) == ["pessimistic", "base", "optimistic"]
        assert cases["base"]["enpv"] == pytest.approx(r["economic"]["enpv"])
        assert cases["base"]["fnpv_c"] == pytest.approx(r["financial"]["fnpv_c"])
        assert cases["base"]["bcr"] == pytest.approx(r["economic"]["bcr"])
        assert cases["pessimistic"]["enpv"] < cases["base"]["enpv"] < cases["optimistic"]["enpv"]
    text = client.get(answer.headers["Location"]).text
    assert "ENPV under each carbon price path" in text and "Scenario analysis" in text
    assert "illustrative" in text


def test_a_set_with_one_carbon_path_says_so(app, client, staff, make_project):
    made = make_project()
    add_flows(app, made.id)
    _choose(app, made.id, {"carbon_variants": True})
    appraise(client, made.id)
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        assert "offers one carbon price path" in run.results["methods"]["carbon_variants"]["note"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"worst": {"capex": -1}}, "finite number &gt;= 0"),
        ({"worst": {"demand": 0.5}}, "drive no line"),
        ("pessimistic", "must be true, or name"),
    ],
)
def test_bad_scenarios_are_a_clear_message_and_nothing_is_saved(
    app, client, staff, make_project, given, message
):
    made = make_project()
    add_flows(app, made.id)
    _choose(app, made.id, {"scenarios": given})
    answer = appraise(client, made.id)
    assert answer.status_code == 422
    assert message in answer.text
    assert run_count(app) == 0


def test_labour_by_category_and_vat_change_the_economic_lines_and_show_on_the_page(
    app, client, staff, make_project
):
    """Exact formula: opex of 20,000 net of 20 % VAT (/1.2), 30 % skilled at 1.00, 50 %
    unskilled at 0.60 (the Guide's incinerator case) and 20 % at the set's standard
    conversion factor; capex net of VAT at that factor too."""
    made = make_project()
    add_flows(app, made.id)
    _choose(
        app,
        made.id,
        {
            "economic": {
                "skilled_share_of_opex": 0.3,
                "unskilled_share_of_opex": 0.5,
                "vat_rate": 0.2,
            }
        },
    )
    answer = appraise(client, made.id)
    assert answer.status_code == 302
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        r = run.results
        scf = 1.0  # EU 2014-2020
        opex_factor = (0.3 * 1.0 + 0.5 * 0.6 + 0.2 * scf) / 1.2
        pv_opex = sum(-20_000.0 * opex_factor / 1.05**t for t in range(1, 15))
        assert r["economic"]["lines_pv"]["fixed_opex"] == pytest.approx(pv_opex)
        assert r["economic"]["lines_pv"]["capex"] == pytest.approx(-1_000_000.0 * scf / 1.2)
        assert r["methods"]["economic"]["labour_factors"]["value"] == {
            "skilled": 1.0,
            "unskilled": 0.6,
        }
    text = client.get(answer.headers["Location"]).text
    assert "Labour and transfers in the economic analysis" in text
    assert "incinerator case" in text and "VAT of 20.0 %" in text


def test_bad_labour_factors_are_a_clear_message_and_nothing_is_saved(
    app, client, staff, make_project
):
    made = make_project()
    add_flows(app, made.id)
    _choose(
        app,
        made.id,
        {"economic": {"unskilled_share_of_opex": 0.5, "labour_factors": {"unskilled": "low"}}},
    )
    answer = appraise(client, made.id)
    assert answer.status_code == 422
    assert "labour_factors must map a labour category to a number" in answer.text
    assert run_count(app) == 0


def test_a_ppp_risk_register_and_optimism_bias_enter_the_psc(app, client, staff, make_project):
    """Exact formulas: each PSC risk line is the register's expected cost p x (low + mode +
    high) / 3 (capex in year 0, so undiscounted); optimism bias 24 % of the capex
    (standard buildings, upper bound: HM Treasury's supplementary Green Book table)."""
    from app.models import DeliveryModel

    made = make_project()
    add_flows(app, made.id, delivery_model=DeliveryModel.PPP_AVAILABILITY)
    register = [
        {"name": "ground", "probability": 0.2, "low": 50e3, "most_likely": 100e3, "high": 300e3},
        {
            "name": "planning",
            "probability": 0.5,
            "low": 10e3,
            "most_likely": 20e3,
            "high": 30e3,
            "transferable": False,
        },
    ]
    _choose(
        app,
        made.id,
        {
            "ppp": {
                "risk_register": register,
                "optimism_bias": {"project_type": "standard_buildings"},
            }
        },
    )
    answer = appraise(client, made.id)
    assert answer.status_code == 302
    with app.app_context():
        ppp = db.session.scalars(sa.select(AppraisalRun)).one().results["ppp"]
    psc = ppp["vfm"]["psc_components"]
    assert psc["transferable risk"] == pytest.approx(0.2 * 450e3 / 3)
    assert psc["retained risk"] == pytest.approx(0.5 * 60e3 / 3)
    assert psc["optimism bias"] == pytest.approx(0.24 * 1_000_000.0)
    reg = ppp["risks"]["register"]
    assert reg["p50"] <= reg["p90"] and reg["expected"] == pytest.approx(40e3)
    text = client.get(answer.headers["Location"]).text
    assert "Risk register" in text and "P90" in text and "Optimism bias: 24 %" in text


def test_a_malformed_risk_register_is_said_in_the_ppp_section(app, client, staff, make_project):
    from app.models import DeliveryModel

    made = make_project()
    add_flows(app, made.id, delivery_model=DeliveryModel.PPP_AVAILABILITY)
    _choose(app, made.id, {"ppp": {"risk_register": [{"name": "x", "probability": 0.1}]}})
    answer = appraise(client, made.id)
    assert answer.status_code == 302
    with app.app_context():
        ppp = db.session.scalars(sa.select(AppraisalRun)).one().results["ppp"]
    assert "each risk needs name, probability, low, most_likely and high" in ppp["error"]
