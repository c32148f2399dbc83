"""VAT, working capital and profit tax in a run's financial analysis: on the run page,
chosen on the run form, refused on their field, and the same in the pipeline."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.appraisals.batch_results import _usual, compute_many
from app.appraisals.inputs import flows_from
from app.appraisals.results import compute_results
from app.core.extensions import db
from app.models import AppraisalRun, Project
from appraisal.discounting.metrics import npv
from appraisal.finance.financial_taxes import FinancialTerms, taxed_flows
from tests.app.appraisals.test_appraisals import add_flows, appraise, run_count, staff
from tests.app.appraisals.test_pipeline import SET, as_kept, differences

__all__ = ["staff"]  # the fixture, used by name

TAXES = {
    "vat_rate": 0.25,
    "vat_recoverable": False,
    "receivable_days": 30,
    "payable_days": 10,
    "profit_tax_rate": 0.22,
    "tax_life": 25,
}


@pytest.fixture
def taxed(app, make_project):
    made = make_project()
    add_flows(app, made.id, revenue=90_000.0)
    with app.app_context():
        db.session.get(Project, made.id).assumptions = {"taxes": TAXES}
        db.session.commit()
    return made


def _run(app) -> AppraisalRun:
    return db.session.scalars(sa.select(AppraisalRun).order_by(AppraisalRun.id.desc())).first()


def test_the_run_page_shows_vat_working_capital_and_tax_with_their_source(
    app, client, staff, taxed
):
    """Exact formula: FNPV/C is the NPV at 4 % of the net flow with costs x 1.25 (VAT not
    recoverable, lines net of it) less the change in working capital."""
    answer = appraise(client, taxed.id)
    assert answer.status_code == 302, answer.text
    with app.app_context():
        run = _run(app)
        terms = FinancialTerms(0.25, False, False, 0.22, 25, 30, 0, 10)
        expected = taxed_flows(flows_from(run.inputs), terms)
        assert run.results["financial"]["fnpv_c"] == pytest.approx(npv(0.04, expected.net))
        tx = run.results["methods"]["taxes"]
        assert tx["working_capital"][1] == pytest.approx(
            90_000 * 30 / 365 - 20_000 * 1.25 * 10 / 365
        )
        assert tx["profit_tax"][1] == pytest.approx(0.22 * (90_000 - 25_000 - 1_250_000 / 25))
        assert tx["fnpv_k_after_tax"] < run.results["financial"]["fnpv_k"]
    text = client.get(answer.headers["Location"]).text
    assert "Financial analysis with VAT, working capital and profit tax" in text
    assert "section 2.5" in text and "FNPV/K after profit tax" in text
    assert "the PPP value for money is computed before VAT, working capital and profit" in text


def test_the_run_form_overrides_the_projects_terms(app, client, staff, taxed):
    answer = appraise(client, taxed.id, vat_rate_pct="10", vat_recoverable="yes",
                      lines_include_vat="yes", profit_tax_rate_pct="0",
                      receivable_days="0", payable_days="0")  # fmt: skip
    assert answer.status_code == 302, answer.text
    with app.app_context():
        tx = _run(app).results["methods"]["taxes"]
        assert tx["terms"]["vat_rate"] == {"value": 0.1, "source": "run form"}
        assert tx["capex"][0] == pytest.approx(1_000_000 / 1.1)
        assert tx["profit_tax"] == [0.0] * 15


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("vat_rate_pct", "120", "between 0 and 100"),
     ("receivable_days", "400", "between 0 and 365"),
     ("tax_life", "0", "between 1 and 100")],
)  # fmt: skip
def test_bad_terms_are_refused_on_their_field_and_nothing_is_saved(
    app, client, staff, taxed, field, value, message
):
    answer = appraise(client, taxed.id, **{field: value})
    assert answer.status_code == 400
    assert message in answer.text
    assert run_count(app) == 0


def test_the_pipeline_sends_the_terms_to_the_single_path(app, taxed):
    with app.app_context():
        from app.appraisals.service import _project, _snapshot

        snap = _snapshot(_project(taxed.id), SET, seed=taxed.id)
        assert not _usual(snap)
        assert differences(as_kept(compute_results(snap)), as_kept(compute_many([snap])[0])) == []


def test_the_run_form_starts_from_the_projects_assumptions_and_checks_methods(
    app, client, staff, taxed
):
    form = client.get(f"/projects/{taxed.id}/appraise").text
    assert 'name="vat_rate_pct" type="text" value="25' in form or 'value="25.0"' in form
    answer = appraise(client, taxed.id, residual_method="net_flows")
    assert answer.status_code == 400
    assert "Give the remaining life for the PV of net flows." in answer.text
    answer = appraise(client, taxed.id, skilled_share_pct="70", unskilled_share_pct="40")
    assert "add up to more than 100 %" in answer.text
    assert run_count(app) == 0


def test_the_run_form_chooses_the_other_methods(app, client, staff, taxed):
    """The residual value by the PV of net flows, the flat rate, carbon variants and
    scenarios chosen on the form alone (the project's assumptions have none of them)."""
    answer = appraise(client, taxed.id, residual_method="net_flows", remaining_life="10",
                      flat_rate_sector="water", carbon_variants="yes",
                      scenarios="illustrative", skilled_share_pct="30",
                      unskilled_share_pct="20", economic_vat_pct="20")  # fmt: skip
    assert answer.status_code == 302, answer.text
    with app.app_context():
        m = _run(app).results["methods"]
        assert m["residual"]["remaining_life"] == 10 and m["flat_rate"]["sector"] == "water"
        assert m["carbon_variants"] and m["scenarios"]
        assert m["economic"]["vat_rate"]["value"] == pytest.approx(0.2)


@pytest.mark.parametrize(
    "methods",
    [
        {"taxes": {"vat_rate": 0.1, "vat_recoverable": True, "lines_include_vat": True}},
        {"residual": {"method": "net_flows", "remaining_life": 8}, "flat_rate_sector": "road"},
        {"economic": {"skilled_share_of_opex": 0.3, "vat_rate": 0.2}, "scenarios": True},
        {"carbon_variants": True, "taxes": {"stock_days": 20, "profit_tax_rate": 0.3}},
    ],
)
def test_run_form_choices_take_the_single_path_and_match_the_batch(app, taxed, methods):
    """The batch and the single path agree to 1e-9 for runs with the run form's choices."""
    with app.app_context():
        from app.appraisals.service import _project, _snapshot

        snap = _snapshot(_project(taxed.id), SET, seed=taxed.id, methods=methods)
        assert not _usual(snap)
        assert differences(as_kept(compute_results(snap)), as_kept(compute_many([snap])[0])) == []


def test_sensitivity_scenarios_and_monte_carlo_start_from_the_runs_fnpv(app, taxed):
    """With VAT (not recoverable) and working capital, the sensitivity's base FNPV/C and
    the base scenario's are the run's FNPV/C exactly; Monte Carlo's mean FNPV/C, with
    every variable uniform within +/-1 % (mean 1: FNPV/C is linear in the multipliers),
    is within 0.05 % of the capex of it. Without the taxed lines each would be off by
    the VAT on the costs, about 25 % of their present value."""
    with app.app_context():
        from app.appraisals.service import _project, _snapshot

        snap = _snapshot(_project(taxed.id), SET, seed=taxed.id, methods={"scenarios": True})
        for spec in snap["monte_carlo"]["variables"].values():
            spec |= {"low_pct": -1.0, "high_pct": 1.0, "distribution": "uniform"}
        snap["monte_carlo"]["draws"] = 4_000
        results = compute_results(snap)
    fnpv = results["financial"]["fnpv_c"]
    plain = npv(0.04, flows_from(snap).net)
    assert abs(fnpv - plain) > 100_000  # the taxes move it
    assert results["sensitivity"]["financial_base"] == pytest.approx(fnpv, rel=1e-12)
    base = next(c for c in results["methods"]["scenarios"]["cases"] if c["name"] == "base")
    assert base["fnpv_c"] == pytest.approx(fnpv, rel=1e-12)
    assert results["monte_carlo"]["fnpv_c"]["mean"] == pytest.approx(fnpv, abs=500)


def test_a_rate_posted_back_as_the_form_shows_it_stays_the_projects_assumption(
    app, client, staff, make_project
):
    """Switzerland's reduced VAT rate 2.6 % is 0.026, which the form shows as 2.6 and reads
    back as 0.026000000000000002: the same term, still the project's assumption; a rate
    that differs is the run form's."""
    made = make_project()
    add_flows(app, made.id, revenue=90_000.0)
    with app.app_context():
        db.session.get(Project, made.id).assumptions = {
            "taxes": {"vat_rate": 0.026, "receivable_days": 30}
        }
        db.session.commit()
    assert float("2.6") / 100 != 0.026  # the round-off this is about
    assert 'value="2.6"' in client.get(f"/projects/{made.id}/appraise").text
    assert appraise(client, made.id, vat_rate_pct="2.6").status_code == 302
    with app.app_context():
        terms = _run(app).results["methods"]["taxes"]["terms"]
        assert terms["vat_rate"] == {"value": 0.026, "source": "project assumption"}
    assert appraise(client, made.id, vat_rate_pct="2.7").status_code == 302
    with app.app_context():
        terms = _run(app).results["methods"]["taxes"]["terms"]
        assert terms["vat_rate"]["source"] == "run form"
        assert terms["vat_rate"]["value"] == pytest.approx(0.027)
