"""Residual value by the PV of net flows after the period, and the flat-rate net revenue."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.analysis.cashflows import ProjectInputs, Replacement, build_flows
from appraisal.analysis.residual import (
    flat_rate,
    flat_rate_gap,
    flat_rate_sectors,
    pv_of_flows_after,
    residual_from_net_flows,
    with_residual,
)
from appraisal.errors import InvalidParameterError


def test_a_level_net_flow_is_worth_the_published_annuity_factor():
    """Published figure: the present value of 1 a year for 10 years at 4 % is 8.1109
    (standard annuity tables); 100 a year is therefore worth 811.09."""
    assert pv_of_flows_after([100.0] * 10, 0.04) == pytest.approx(811.09, abs=0.005)


@settings(max_examples=50)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30),
    st.floats(0.0, 0.2),
)
def test_pv_after_the_period_is_the_sum_of_each_year_discounted(flows, rate):
    """Exact formula: RV_T = sum_k F_{T+k} / (1 + r)^k, k from 1."""
    expected = sum(f / (1 + rate) ** (k + 1) for k, f in enumerate(flows))
    assert pv_of_flows_after(flows, rate) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_residual_uses_the_last_years_net_flow_less_spread_replacements():
    """Exact formula: (R_T - C_T - replacements / operating years) x annuity factor."""
    inputs = ProjectInputs(
        2025,
        12,
        [500.0],
        fixed_opex=30.0,
        other_revenue=150.0,
        replacements=[Replacement("pumps", 55.0, 5)],
    )
    flows = build_flows(inputs)
    r = residual_from_net_flows(flows, 0.05, 8)
    yearly = 150.0 - 30.0 - 2 * 55.0 / 11
    assert r.yearly_net_flow == pytest.approx(yearly)
    factor = (1 - 1.05**-8) / 0.05
    assert r.value == pytest.approx(yearly * factor)
    assert r.note == ""


def test_a_loss_making_tail_has_no_residual_value_and_says_so():
    flows = build_flows(ProjectInputs(2025, 5, [100.0], fixed_opex=50.0, other_revenue=20.0))
    r = residual_from_net_flows(flows, 0.04, 10)
    assert r.value == 0.0
    assert "negative" in r.note


@pytest.mark.parametrize("life", [0, -3, 2.5, True])
def test_remaining_life_must_be_whole_positive_years(life):
    flows = build_flows(ProjectInputs(2025, 5, [100.0], other_revenue=20.0))
    with pytest.raises(InvalidParameterError, match="remaining life"):
        residual_from_net_flows(flows, 0.04, life)


def test_with_residual_replaces_the_residual_line_only():
    flows = build_flows(ProjectInputs(2025, 5, [100.0], other_revenue=20.0, residual_value=40.0))
    out = with_residual(flows, 75.0)
    assert out.residual.tolist() == [0.0, 0.0, 0.0, 0.0, 75.0]
    assert out.revenue.tolist() == flows.revenue.tolist()
    assert out.net[-1] == pytest.approx(flows.net[-1] + 35.0)


def test_flat_rates_are_those_of_annex_v():
    """Published figures: Regulation (EU) No 1303/2013, Annex V (rail 20 %, road 30 %,
    urban transport 20 %, water 25 %, solid waste 20 %)."""
    rates = {s: flat_rate(s).rate for s in flat_rate_sectors()}
    assert rates == {
        "rail": 0.20,
        "road": 0.30,
        "urban_transport": 0.20,
        "water": 0.25,
        "solid_waste": 0.20,
    }
    assert all("Annex V" in flat_rate(s).source for s in rates)


def test_flat_rate_reduces_the_eligible_cost():
    """Exact formula (Art. 61(3)(a)): decision amount = eligible cost x (1 - flat rate)."""
    g = flat_rate_gap("water", 2_000_000.0, 0.85)
    assert g.decision_amount == pytest.approx(1_500_000.0)
    assert g.grant == pytest.approx(1_275_000.0)


def test_an_unknown_sector_names_the_known_ones():
    with pytest.raises(InvalidParameterError, match="solid_waste"):
        flat_rate("airports")
