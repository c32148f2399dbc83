"""Smart product packages: shared gaps, sizing, costs and the indicative appraisal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.analysis.parameters import get_parameter_set
from appraisal.bundling.packages import (
    Offer,
    appraise_line,
    best_for_city,
    compose_package,
    shared_gaps,
    size_line,
)
from appraisal.errors import InvalidParameterError

PARAMS = get_parameter_set("EU 2014-2020")
LED = Offer("led", "LED street lighting", "Energy", "streetlight", ("EN1", "EN2"), 400.0, 4.0,
            20, 0.1, annual_benefit_per_unit=60.0)  # fmt: skip
METERS = Offer("meters", "Smart meters", "Energy", "meter", ("EN1",), 150.0, 3.0, 15, 0.4)
WIFI = Offer("wifi", "Public wifi", "ICT", "hotspot", ("IC1",), 20_000.0, 500.0, 8, 1 / 10_000,
             annual_benefit_per_unit=9_000.0)  # fmt: skip
FUND = Offer("fund", "Revolving fund", "Finance", "fund", ("EN2",), 1e6, 0.0, 20, None)
OFFERS = (LED, METERS, WIFI, FUND)
GROUP = {
    "a": {"EN1": 0.6, "EN2": 0.3, "IC1": 0.5, "SO1": 0.0},
    "b": {"EN1": 0.4, "EN2": None, "IC1": 0.6, "SO1": 0.02},
    "c": {"EN1": 0.5, "EN2": 0.2, "IC1": None, "SO1": 0.5},
}
MONEY = {"currency": "EUR", "price_base_year": 2024, "start_year": 2026}


def test_shared_gaps_count_members_without_data_honestly():
    gaps = {g.code: g for g in shared_gaps(GROUP)}
    assert set(gaps) == {"EN1", "EN2", "IC1"}  # SO1: only one of three falls short
    assert gaps["EN1"].members_with_gap == 3 and gaps["EN1"].median_gap == 0.5
    assert gaps["EN2"].members_without_data == 1 and gaps["EN2"].median_gap == 0.25
    assert "2 of 3 members fall short" in gaps["IC1"].sentence()


def test_package_for_the_typical_city_on_one_price_base():
    package = compose_package(GROUP, [40_000, None, 60_000, 100_000], OFFERS, PARAMS, **MONEY)
    assert package.population == 60_000
    assert "3 of 4 members" in package.population_note
    lines = {line.offer.key: line for line in package.lines}
    assert set(lines) == {"led", "meters", "wifi", "fund"}
    assert lines["led"].quantity == 6_000 and lines["led"].capex == pytest.approx(6_000 * 400.0)
    assert lines["fund"].quantity == 1
    assert lines["led"].closes == ("EN1", "EN2")
    assert package.capex == pytest.approx(sum(line.capex for line in package.lines))
    # no revenue: every solution needs its whole cost from grants
    assert lines["led"].funding_gap_rate == 1.0 and package.funding_gap_rate == 1.0
    # a stated benefit gives ENPV and B/C; without one a line has none, and the package's
    # ENPV and B/C are over the lines with a basis, counted
    assert lines["led"].enpv is not None and lines["led"].bc_ratio > 1
    assert lines["meters"].enpv is None and "no benefit basis" in lines["meters"].appraisal_note
    appraised = [line for line in package.lines if line.enpv is not None]
    assert package.totals.appraised == len(appraised) == 2 and package.totals.lines == 4
    assert package.enpv == pytest.approx(sum(line.enpv for line in appraised))


def test_co2_avoided_is_valued_at_the_parameter_sets_carbon_price():
    green = Offer("pv", "Solar PV", "Energy", "kW", ("EN1",), 1_000.0, 10.0, 25, None,
                  co2_tonnes_per_unit=5.0, benefit_source="illustrative: test")  # fmt: skip
    line = appraise_line(green, 10, PARAMS, horizon_years=20, **MONEY)
    none = appraise_line(FUND, 1, PARAMS, horizon_years=20, **MONEY)
    assert line.enpv is not None and line.pv_benefits > 0 and none.enpv is None
    assert line.appraisal_note == "5 t CO2 avoided per unit a year (illustrative: test)"
    # benefits grow linearly with the tonnes (beside the residual value); costs stay
    more = [
        appraise_line(Offer(**{**green.__dict__, "co2_tonnes_per_unit": t}), 10, PARAMS,
                      horizon_years=20, **MONEY)
        for t in (10.0, 15.0)
    ]  # fmt: skip
    step = more[0].pv_benefits - line.pv_benefits
    assert step > 0 and more[1].pv_benefits - more[0].pv_benefits == pytest.approx(step)
    assert more[1].pv_costs == pytest.approx(line.pv_costs)


def test_package_enpv_adds_its_lines_up():
    offers = (LED, WIFI)
    package = compose_package(GROUP, [50_000], offers, PARAMS, **MONEY)
    assert package.enpv == pytest.approx(sum(line.enpv for line in package.lines))
    total_b = sum(line.pv_benefits for line in package.lines)
    assert package.bc_ratio == pytest.approx(total_b / sum(line.pv_costs for line in package.lines))


def test_gaps_no_solution_moves_are_named():
    package = compose_package(GROUP, [50_000], (WIFI,), PARAMS, **MONEY)
    assert any("no catalogue solution moves EN1, EN2" in note for note in package.notes)


def test_best_for_city_uses_the_bundle_engine_within_the_budget():
    package = compose_package(GROUP, [50_000], OFFERS, PARAMS, **MONEY)
    offers = [line.offer for line in package.lines]
    gaps = {"EN1": 0.6, "EN2": 0.3, "IC1": 0.0}
    result, lines = best_for_city(offers, gaps, 20_000, 1_500_000, PARAMS, **MONEY)
    chosen = {line.offer.key: line for line in lines if line.offer.key in result.selected}
    assert result.status == "optimal"
    assert sum(line.capex for line in chosen.values()) <= 1_500_000
    # LED (800 k, closes 0.9) beats the fund (1 M, closes 0.3) and wifi closes nothing here
    assert "led" in chosen and "fund" not in chosen
    with pytest.raises(InvalidParameterError, match="budget"):
        best_for_city(offers, {}, 1, 0.0, PARAMS, **MONEY)
    with pytest.raises(InvalidParameterError, match="no solutions"):
        best_for_city([], {}, 1, 1e6, PARAMS, **MONEY)


@settings(max_examples=30, deadline=None)
@given(population=st.integers(1_000, 2_000_000), factor=st.integers(2, 5))
def test_costs_scale_with_the_stated_quantities(population, factor):
    small = compose_package(GROUP, [population], OFFERS, PARAMS, **MONEY)
    large = compose_package(GROUP, [population * factor], OFFERS, PARAMS, **MONEY)
    for a, b in zip(small.lines, large.lines, strict=True):
        assert a.capex == pytest.approx(a.offer.unit_capex * a.quantity)
        assert b.capex / b.quantity == pytest.approx(a.capex / a.quantity)
        assert b.annual_opex / b.quantity == pytest.approx(a.annual_opex / a.quantity)
        assert b.quantity >= a.quantity
        quantity, _ = size_line(a.offer, population * factor)
        assert b.quantity == quantity


def test_bad_input_says_what_to_do():
    with pytest.raises(InvalidParameterError, match="at least one member"):
        shared_gaps({})
    with pytest.raises(InvalidParameterError, match="horizon"):
        compose_package(GROUP, [1], OFFERS, PARAMS, horizon_years=1, **MONEY)
