"""Nominal runs: an inflation rate per line and the Fisher conversion of the discount rate."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.analysis.cashflows import ProjectInputs, Replacement, build_flows
from appraisal.analysis.cba import appraise, financial_analysis, funding_gap
from appraisal.analysis.economic import EconomicInputs
from appraisal.analysis.inflation import Inflation, fisher_nominal, fisher_real
from appraisal.analysis.nominal import deflate, deflate_economic, inflate
from appraisal.analysis.parameters import get_parameter_set
from appraisal.errors import InvalidParameterError, InvalidRateError

EU = get_parameter_set("EU 2014-2020")


def _inputs(**kw):
    base = {
        "start_year": 2026,
        "horizon": 12,
        "capex": [600.0, 400.0],
        "fixed_opex": 40.0,
        "other_revenue": 150.0,
        "price_base_year": 2025,
        "replacements": [Replacement("pumps", 80.0, 4)],
        "asset_life": 25,
    }
    return ProjectInputs(**(base | kw))


def test_fisher_is_the_exact_compound_relation():
    """Exact formula: 1 + i = (1 + r)(1 + pi); 4 % real at 2 % inflation is 6.08 %."""
    assert fisher_nominal(0.04, 0.02) == pytest.approx(0.0608, abs=1e-12)
    assert fisher_real(0.0608, 0.02) == pytest.approx(0.04, abs=1e-12)


@settings(max_examples=50)
@given(st.floats(-0.05, 0.2), st.floats(-0.05, 0.2))
def test_fisher_real_inverts_fisher_nominal(real, inflation):
    """Exact formula: (1 + i) / (1 + pi) - 1 undoes (1 + r)(1 + pi) - 1."""
    assert fisher_real(fisher_nominal(real, inflation), inflation) == pytest.approx(real, abs=1e-12)


def test_each_line_inflates_at_its_own_rate():
    """Exact formula: line_t = real line_t x (1 + pi_line)^(year_t - price base year)."""
    real = build_flows(_inputs())
    nominal = build_flows(
        _inputs(inflation=0.02, line_inflation={"capex": 0.04, "opex": 0.03}), prices="nominal"
    )
    exponent = real.years - 2025
    np.testing.assert_allclose(nominal.capex, real.capex * 1.04**exponent)
    np.testing.assert_allclose(nominal.replacement, real.replacement * 1.04**exponent)
    np.testing.assert_allclose(nominal.residual, real.residual * 1.04**exponent)
    np.testing.assert_allclose(nominal.fixed_opex, real.fixed_opex * 1.03**exponent)
    np.testing.assert_allclose(nominal.revenue, real.revenue * 1.02**exponent)  # general


def test_deflate_undoes_inflate_line_by_line():
    real = build_flows(_inputs())
    inflation = Inflation(0.02, capex=0.05, opex=0.03, revenue=0.01)
    back = deflate(inflate(real, inflation), inflation)
    assert not back.nominal
    for kind in ("capex", "replacement", "fixed_opex", "revenue", "residual"):
        np.testing.assert_allclose(getattr(back, kind), getattr(real, kind))


@settings(max_examples=40)
@given(st.floats(0.0, 0.1))
def test_nominal_flows_at_the_fisher_rate_give_the_real_npv(pi):
    """Exact identity: with every line at the general rate, sum N_t/(1+i)^t with
    N_t = R_t (1+pi)^t and 1+i = (1+r)(1+pi) equals sum R_t/(1+r)^t (the price base is
    the first year here, so the index is 1 in period 0)."""
    inputs = _inputs(price_base_year=2026, inflation=pi)
    real = financial_analysis(build_flows(inputs), EU)
    nominal = financial_analysis(build_flows(inputs, prices="nominal"), EU, inflation=pi)
    assert nominal.fnpv_c.amount == pytest.approx(real.fnpv_c.amount, rel=1e-9, abs=1e-6)
    assert nominal.funding_gap.rate == pytest.approx(real.funding_gap.rate, abs=1e-9)
    assert nominal.financial_discount_rate == pytest.approx(fisher_nominal(0.04, pi))
    assert nominal.frr_c == pytest.approx(fisher_nominal(real.frr_c, pi), abs=1e-7)


def test_a_nominal_run_without_inflation_says_what_to_give():
    flows = build_flows(_inputs(inflation=0.02), prices="nominal")
    with pytest.raises(InvalidParameterError, match="give the general inflation"):
        financial_analysis(flows, EU)
    with pytest.raises(InvalidParameterError, match="give the general inflation"):
        funding_gap(flows, EU)


def test_a_nominal_appraisal_runs_its_economic_analysis_in_constant_prices():
    """Exact identity: deflating each line (and the benefits) by its own index gives back
    the constant-price flows, so the ENPV is that of the real run."""
    inflation = Inflation(0.02, capex=0.04, opex=0.03, benefits=0.025)
    real_flows = build_flows(_inputs())
    benefits = {"time saved": [0.0, 0.0] + [90.0] * 10}
    years = real_flows.years
    nominal_benefits = {"time saved": np.array(benefits["time saved"]) * 1.025 ** (years - 2025)}
    real = appraise(real_flows, EU, economic=EconomicInputs(benefits=benefits))
    nominal = appraise(
        inflate(real_flows, inflation),
        EU,
        economic=EconomicInputs(benefits=nominal_benefits),
        inflation=inflation,
    )
    assert nominal.economic.enpv.amount == pytest.approx(real.economic.enpv.amount, rel=1e-9)
    assert nominal.economic.bc_ratio == pytest.approx(real.economic.bc_ratio, rel=1e-9)
    assert nominal.financial.financial_discount_rate == pytest.approx(fisher_nominal(0.04, 0.02))


def test_deflate_economic_leaves_co2_tonnes_alone():
    inputs = EconomicInputs(benefits={"b": [102.0]}, co2_tonnes=[5.0])
    out = deflate_economic(inputs, Inflation(0.02), np.array([2026]), 2025)
    assert out.benefits["b"].tolist() == pytest.approx([100.0])
    assert out.co2_tonnes == [5.0]


@pytest.mark.parametrize("bad", [float("nan"), -1.0, -2.0, True])
def test_an_inflation_rate_must_be_finite_and_above_minus_100_percent(bad):
    with pytest.raises(InvalidRateError, match="inflation"):
        Inflation(0.02, opex=bad)


def test_an_unknown_inflation_line_is_named():
    with pytest.raises(InvalidParameterError, match="capex, opex, revenue or benefits"):
        Inflation.of(0.02, {"wages": 0.03})
