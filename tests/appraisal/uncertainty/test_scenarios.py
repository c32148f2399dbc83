"""Scenario analysis and carbon price variants."""

import numpy as np
import pytest

from appraisal.analysis.cashflows import ProjectInputs, build_flows
from appraisal.analysis.economic import EconomicInputs, economic_analysis
from appraisal.analysis.parameters import carbon_price_variants, get_parameter_set
from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidParameterError
from appraisal.uncertainty.scenarios import (
    ILLUSTRATIVE_SCENARIOS,
    Scenario,
    carbon_variants,
    scenario_analysis,
)

EU = get_parameter_set("EU 2014-2020")
WB = get_parameter_set("World Bank")
DRIVERS = {
    "capex": ["capex", "replacement"],
    "opex": ["fixed_opex", "variable_opex"],
    "revenue": ["revenue"],
    "benefits": ["benefit:time"],
}


def _case(params=EU):
    flows = build_flows(ProjectInputs(2026, 10, [500.0], fixed_opex=20.0, other_revenue=60.0))
    economic = EconomicInputs(benefits={"time": [0.0] + [70.0] * 9}, co2_tonnes=[0.0] + [1.0] * 9)
    return flows, economic, economic_analysis(flows, params, economic)


def test_the_base_scenario_gives_the_base_results():
    """Exact identity: all multipliers 1 give the FNPV, ENPV and B/C of the analyses."""
    flows, _, eco = _case()
    [base] = scenario_analysis(
        flows.signed_lines(),
        eco.lines,
        DRIVERS,
        [Scenario("base")],
        financial_rate=0.04,
        social_rate=0.05,
    )
    assert base.fnpv == pytest.approx(npv(0.04, flows.net))
    assert base.enpv == pytest.approx(eco.enpv.amount)
    assert base.bc_ratio == pytest.approx(eco.bc_ratio)


def test_a_scenario_scales_the_lines_its_variables_drive():
    """Exact formula: FNPV = -1.2 x PV(capex) - 1.1 x PV(opex) + 0.9 x PV(revenue)."""
    flows, _, eco = _case()
    results = scenario_analysis(
        flows.signed_lines(),
        eco.lines,
        DRIVERS,
        ILLUSTRATIVE_SCENARIOS,
        financial_rate=0.04,
        social_rate=0.05,
    )
    assert [r.name for r in results] == ["pessimistic", "base", "optimistic"]
    pess = results[0]
    expected = npv(0.04, -1.2 * flows.capex - 1.1 * flows.opex + 0.9 * flows.revenue)
    assert pess.fnpv == pytest.approx(expected)
    assert pess.enpv < results[1].enpv < results[2].enpv
    assert pess.bc_ratio < results[1].bc_ratio < results[2].bc_ratio


def test_a_scenario_on_a_variable_without_lines_is_refused():
    flows, _, eco = _case()
    with pytest.raises(InvalidParameterError, match="drive no line"):
        scenario_analysis(
            flows.signed_lines(),
            eco.lines,
            {"capex": ["capex"]},
            [Scenario("x", {"demand": 0.5})],
            financial_rate=0.04,
            social_rate=0.05,
        )
    with pytest.raises(InvalidParameterError, match="finite number >= 0"):
        Scenario("bad", {"capex": float("nan")})


def test_the_world_bank_offers_its_low_and_high_carbon_paths():
    """Published figures: USD 50 and USD 100 a tonne in 2030 (the High-Level Commission on
    Carbon Prices' range, used by the World Bank, 2017)."""
    paths = carbon_price_variants("World Bank")
    assert {k: p.price([2030]).item() for k, p in paths.items()} == {"low": 50.0, "high": 100.0}
    assert carbon_price_variants("World Bank high carbon price") == paths
    assert carbon_price_variants("EU 2014-2020") == {}


def test_the_enpv_under_each_carbon_path_differs_only_by_the_co2_line():
    """Exact identity: ENPV_high - ENPV_low = PV(tonnes x (price_high - price_low))."""
    flows, economic, _ = _case(WB)
    variants = carbon_variants(flows, WB, economic, carbon_price_variants("World Bank"))
    low, high = variants["low"], variants["high"]
    diff = npv(WB.social_discount_rate, high.lines["co2"] - low.lines["co2"])
    assert high.enpv.amount - low.enpv.amount == pytest.approx(diff)
    assert diff > 0
    np.testing.assert_allclose(high.lines["benefit:time"], low.lines["benefit:time"])
