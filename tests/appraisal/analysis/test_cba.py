"""Financial and economic analysis, funding gap and verdict (EU CBA Guide 2014)."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.analysis.cashflows import ProjectInputs, build_flows
from appraisal.analysis.cba import Financing, appraise, financial_analysis, funding_gap
from appraisal.analysis.economic import EconomicInputs, economic_analysis, economic_lines
from appraisal.analysis.parameters import get_parameter_set
from appraisal.analysis.price_base import convert_cost
from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidCashflowError, InvalidParameterError

EU = get_parameter_set("EU 2014-2020")
DATA = Path(__file__).parents[1] / "data"


def _flows(**kw):
    base = {
        "start_year": 2026,
        "horizon": 25,
        "capex": [40e6, 60e6],
        "fixed_opex": 2e6,
        "other_revenue": 7e6,
        "price_base_year": 2024,
        "asset_life": 40,
    }
    return build_flows(ProjectInputs(**(base | kw)))


def test_fnpv_c_discounts_the_net_flow_at_the_financial_rate():
    f = _flows()
    r = financial_analysis(f, EU)
    assert r.fnpv_c.amount == pytest.approx(npv(0.04, f.net))
    assert npv(r.frr_c, f.net) == pytest.approx(0.0, abs=1e-3)
    assert r.fnpv_c.currency == "EUR" and r.fnpv_c.price_base_year == 2024
    assert r.fnpv_k is None and "no financing plan" in r.frr_k_note


def test_fnpv_k_counts_national_capital_not_the_eu_grant():
    f = _flows()
    n = f.years.size
    grant = np.zeros(n)
    grant[:2] = [20e6, 30e6]
    national = f.capex - grant
    fin = Financing(eu_grant=grant, national_public=national)
    r = financial_analysis(f, EU, financing=fin)
    expected = npv(0.04, f.revenue + f.residual - f.opex - f.replacement - national)
    assert r.fnpv_k.amount == pytest.approx(expected)
    assert r.fnpv_k.amount > r.fnpv_c.amount  # the grant relieves national capital


def test_funding_gap_follows_the_regulation_formula():
    f = _flows()
    g = funding_gap(f, EU, eligible_cost=90e6)
    dic = npv(0.04, f.capex)
    dnr = npv(0.04, f.revenue - f.opex - f.replacement + f.residual)
    assert g.dic.amount == pytest.approx(dic) and g.dnr.amount == pytest.approx(dnr)
    assert g.rate == pytest.approx((dic - dnr) / dic)
    assert g.decision_amount.amount == pytest.approx(90e6 * g.rate)
    assert g.grant.amount == pytest.approx(90e6 * g.rate * 0.85)


def test_funding_gap_is_capped_to_zero_and_one():
    rich = funding_gap(_flows(other_revenue=50e6), EU)
    assert rich.rate == 0.0 and "no funding gap" in rich.note
    poor = funding_gap(_flows(other_revenue=0.0), EU)
    assert poor.rate == 1.0 and "capped" in poor.note


@given(st.floats(0.0, 2e7), st.floats(0.0, 5e6))
def test_funding_gap_rate_in_unit_interval(revenue, opex):
    g = funding_gap(_flows(other_revenue=revenue, fixed_opex=opex), EU)
    assert 0.0 <= g.rate <= 1.0
    assert g.grant.amount <= g.decision_amount.amount <= g.eligible_cost.amount


def test_sustainability_reports_failing_years():
    f = _flows(fixed_opex=8e6)  # opex above revenue: cash runs out from the first year
    r = financial_analysis(f, EU)
    assert not r.sustainability.sustainable
    assert r.sustainability.failing_years[0] == 2028
    cum = np.cumsum(f.capex + f.revenue - f.capex - f.replacement - f.opex)
    np.testing.assert_allclose(r.sustainability.cumulated, cum)


def test_sustainability_with_a_loan_that_is_never_repaid_in_time():
    f = _flows()
    n = f.years.size
    drawdown = np.zeros(n)
    drawdown[:2] = f.capex[:2]
    service = np.zeros(n)
    service[2] = 110e6  # a bullet repayment in the first operating year
    r = financial_analysis(f, EU, financing=Financing(loan_drawdown=drawdown, loan_service=service))
    assert 2028 in r.sustainability.failing_years


def test_economic_lines_apply_conversion_factors_and_shadow_wage():
    f = _flows()
    p = EU.derive("t", "1", source="test", shadow_wage_factor=0.6)
    inputs = EconomicInputs(
        labour_share={"fixed_opex": 0.5}, conversion_factors={"capex": 0.9}, include_revenues=False
    )
    lines, _ = economic_lines(f, p, inputs)
    np.testing.assert_allclose(lines["capex"], -0.9 * f.capex)
    np.testing.assert_allclose(lines["fixed_opex"], -(0.5 * 0.6 + 0.5 * 1.0) * f.fixed_opex)
    assert "revenue" not in lines


def test_co2_is_valued_at_the_eib_path_in_project_prices():
    f = _flows()
    tonnes = np.full(f.years.size, 1000.0)
    lines, conv = economic_lines(f, EU, EconomicInputs(co2_tonnes=tonnes))
    factor = convert_cost(1.0, "EUR", 2016, to_currency="EUR", to_year=2024).factor
    year_2030 = list(f.years).index(2030)
    assert lines["co2"][year_2030] == pytest.approx(1000.0 * 250.0 * factor)
    assert conv.to_year == 2024 and conv.steps[0].kind == "inflation"


def test_enpv_err_and_bc_are_consistent():
    f = _flows()
    benefits = np.where(f.years >= 2028, 6e6, 0.0)
    r = economic_analysis(f, EU, EconomicInputs(benefits={"time": benefits}))
    assert r.enpv.amount == pytest.approx(npv(0.05, r.flows))
    assert npv(r.err, r.flows) == pytest.approx(0.0, abs=1e-2)
    assert (r.enpv.amount > 0) == (r.bc_ratio > 1) == (r.err > 0.05)
    assert r.pv_benefits.amount - r.pv_costs.amount == pytest.approx(r.enpv.amount)


def test_verdict_accepts_with_reasons_in_words():
    f = _flows()
    benefits = np.where(f.years >= 2028, 6e6, 0.0)
    a = appraise(f, EU, economic=EconomicInputs(benefits={"time": benefits}))
    assert a.verdict.accept and not a.verdict.failed
    assert a.verdict.reasons[0].startswith("ENPV EUR ") and "> 0" in a.verdict.reasons[0]
    assert "> social discount rate 5 %" in a.verdict.reasons[1]
    assert a.verdict.reasons[2].startswith("B/C ")
    assert a.parameter_set.startswith("EU 2014-2020")
    assert "ACCEPT" in str(a.verdict)


def test_verdict_rejects_and_names_unsustainable_years():
    f = _flows(fixed_opex=8e6)
    a = appraise(f, EU)
    assert not a.verdict.accept
    assert any(r.startswith("financially unsustainable in 2028, 2029") for r in a.verdict.failed)
    assert any("ENPV" in r and "<= 0" in r for r in a.verdict.failed)


def test_errors_name_the_problem():
    f = _flows()
    with pytest.raises(InvalidParameterError, match="unknown line kind"):
        economic_lines(f, EU, EconomicInputs(labour_share={"wages": 0.5}))
    with pytest.raises(InvalidParameterError, match=r"share in \[0, 1\]"):
        economic_lines(f, EU, EconomicInputs(labour_share={"capex": 1.5}))
    with pytest.raises(InvalidCashflowError, match="one per year"):
        economic_lines(f, EU, EconomicInputs(benefits={"x": [1.0, 2.0]}))
    with pytest.raises(InvalidParameterError, match="prices='real'"):
        economic_lines(
            build_flows(ProjectInputs(2026, 5, [1.0]), prices="nominal"), EU, EconomicInputs()
        )
    with pytest.raises(InvalidCashflowError, match="one per year"):
        financial_analysis(f, EU, financing=Financing(eu_grant=[1.0]))


def test_no_capex_reports_the_npv_and_no_funding_gap():
    # Issue 16: a service bought as opex only (no investment) used to be refused whole.
    f = build_flows(ProjectInputs(2026, 5, [0.0], fixed_opex=3.0, other_revenue=4.0))
    g = funding_gap(f, EU)
    assert g.rate == 0.0 and g.grant.amount == 0.0 and g.decision_amount.amount == 0.0
    assert "no investment" in g.note
    a = appraise(f, EU, economic=EconomicInputs(benefits={"time saved": [0.0, 2, 2, 2, 2]}))
    assert a.financial.fnpv_c.amount == pytest.approx(npv(EU.financial_discount_rate, f.net))
    assert a.economic.enpv.amount == pytest.approx(npv(EU.social_discount_rate, a.economic.flows))
    assert any("no investment" in r for r in a.verdict.reasons)


def test_golden_eu_grant_steps():
    """The Commission's three steps to the EU grant, on the file's case."""
    case = json.loads((DATA / "cba_funding_gap_steps.json").read_text())
    assert case["source"]
    f = build_flows(ProjectInputs(**case["inputs"]))
    p = EU.derive("golden", "1", source=case["source"], **case["parameters"])
    g = funding_gap(f, p, eligible_cost=case["eligible_cost"])
    dic = npv(p.financial_discount_rate, f.capex)
    dnr = npv(p.financial_discount_rate, f.revenue - f.opex - f.replacement + f.residual)
    max_ee = dic - dnr  # step 1: R = Max EE / DIC
    assert g.rate == pytest.approx(max_ee / dic)
    assert g.decision_amount.amount == pytest.approx(case["eligible_cost"] * max_ee / dic)
    assert g.grant.amount == pytest.approx(g.decision_amount.amount * p.cofinancing_rate)


def test_operating_support_from_the_budget_keeps_a_free_service_sustainable():
    """A public service with no user charges is sustainable when the budget pays its
    operation; the support counts for sustainability but not in FNPV/K."""
    from appraisal.analysis.cashflows import ProjectInputs, build_flows
    from appraisal.analysis.cba import Financing, financial_analysis
    from appraisal.analysis.parameters import get_parameter_set

    flows = build_flows(ProjectInputs(2026, 5, [100.0], fixed_opex=10.0))
    params = get_parameter_set("EU 2014-2020")
    bare = Financing(national_public=[100.0, 0, 0, 0, 0])
    backed = Financing(national_public=[100.0, 0, 0, 0, 0], operating_support=[0, 10, 10, 10, 10])
    without = financial_analysis(flows, params, financing=bare)
    with_support = financial_analysis(flows, params, financing=backed)
    assert without.sustainability.failing_years == (2027, 2028, 2029, 2030)
    assert with_support.sustainability.sustainable
    assert with_support.sustainability.operating_support == 40.0
    assert with_support.fnpv_k.amount == without.fnpv_k.amount
