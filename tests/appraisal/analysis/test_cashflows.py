"""Building yearly flows: schedules, escalation, replacements, residual, nominal, incremental."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.analysis.cashflows import (
    LINE_KINDS,
    ProjectInputs,
    Replacement,
    YearlyFlows,
    build_flows,
    incremental,
)
from appraisal.errors import InvalidCashflowError, InvalidParameterError, InvalidRateError


def _project(**kw):
    base = {
        "start_year": 2026,
        "horizon": 10,
        "capex": [60.0, 40.0],
        "fixed_opex": 5.0,
        "variable_opex": 0.5,
        "volume": 10.0,
        "tariff": 3.0,
        "other_revenue": 2.0,
        "price_base_year": 2024,
    }
    return ProjectInputs(**(base | kw))


def test_lines_follow_the_schedule():
    f = build_flows(_project())
    assert f.capex.tolist()[:3] == [60.0, 40.0, 0.0]
    assert f.fixed_opex.tolist()[:3] == [0.0, 0.0, 5.0]
    assert f.variable_opex[2] == pytest.approx(5.0)
    assert f.revenue[2] == pytest.approx(32.0)
    assert f.years.tolist() == list(range(2026, 2036))
    assert f.price_basis == "EUR, constant 2024 prices"


def test_escalation_compounds_from_first_operating_year():
    f = build_flows(_project(revenue_growth=0.02, opex_growth=0.01, volume_growth=0.03))
    k = np.arange(8)
    np.testing.assert_allclose(f.revenue[2:], (3.0 * 10 * 1.03**k + 2.0) * 1.02**k)
    np.testing.assert_allclose(f.fixed_opex[2:], 5.0 * 1.01**k)
    np.testing.assert_allclose(f.variable_opex[2:], 0.5 * 10 * 1.03**k * 1.01**k)


def test_replacements_recur_and_leave_residual_value():
    f = build_flows(_project(replacements=[Replacement("pumps", 8.0, 3)], asset_life=20))
    assert np.flatnonzero(f.replacement).tolist() == [5, 8]
    # the pump bought in period 8 has served 2 of its 3 years at the end
    # initial assets served 8 of 20 years
    assert f.residual[-1] == pytest.approx(8.0 * 1 / 3 + 100.0 * 12 / 20)
    assert f.residual[:-1].sum() == 0.0


def test_late_replacement_keeps_its_residual_value_without_an_asset_life():
    # Issue 16: a pump set of 40 with an 8-year life, bought in period 9 of 12, has
    # served 3 of its 8 years at the end: 40 x 5 / 8 = 25 is left (straight line).
    inputs = ProjectInputs(
        start_year=2026,
        horizon=12,
        capex=[100.0],
        fixed_opex=5.0,
        other_revenue=20.0,
        replacements=[Replacement("pump set", 40.0, 8)],
    )
    f = build_flows(inputs)
    assert np.flatnonzero(f.replacement).tolist() == [9]
    assert f.residual[-1] == pytest.approx(40.0 * 5 / 8)
    assert f.residual[:-1].sum() == 0.0


def test_explicit_residual_overrides_straight_line():
    assert build_flows(_project(residual_value=7.0, asset_life=20)).residual[-1] == 7.0


def test_nominal_inflates_from_price_base_year():
    real = build_flows(_project(inflation=0.02))
    nominal = build_flows(_project(inflation=0.02), prices="nominal")
    factor = 1.02 ** (np.arange(10) + 2026 - 2024)
    np.testing.assert_allclose(nominal.net, real.net * factor)
    assert nominal.nominal and "current prices" in nominal.price_basis


def test_volume_per_year_sequence():
    vol = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    f = build_flows(_project(volume=vol, other_revenue=0.0))
    np.testing.assert_allclose(f.revenue, 3.0 * np.array(vol))


def test_to_frame_has_every_line_and_net():
    frame = build_flows(_project()).to_frame()
    assert list(frame.columns) == [*LINE_KINDS, "net"]
    assert frame.index.name == "year" and frame.attrs["currency"] == "EUR"


@given(
    st.lists(st.floats(0, 1e6), min_size=1, max_size=4),
    st.floats(0, 1e4),
    st.floats(0, 1e4),
    st.integers(5, 40),
)
def test_net_is_the_signed_sum_and_incremental_of_itself_is_zero(capex, opex, rev, horizon):
    f = build_flows(ProjectInputs(2025, horizon, capex, fixed_opex=opex, other_revenue=rev))
    expected = f.revenue + f.residual - f.capex - f.replacement - f.opex
    np.testing.assert_allclose(f.net, expected)
    assert np.all(incremental(f, f).net == 0.0)


def test_incremental_is_line_by_line_difference():
    w = build_flows(_project())
    wo = build_flows(_project(capex=[0.0, 0.0], tariff=1.0))
    inc = incremental(w, wo)
    for kind in LINE_KINDS:
        np.testing.assert_allclose(getattr(inc, kind), getattr(w, kind) - getattr(wo, kind))


def test_incremental_refuses_mismatched_scenarios():
    w = build_flows(_project())
    with pytest.raises(InvalidCashflowError, match="different years"):
        incremental(w, build_flows(_project(horizon=11)))
    with pytest.raises(InvalidCashflowError, match="price bases"):
        incremental(w, build_flows(_project(currency="USD")))


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        ({"capex": []}, InvalidCashflowError, "capex is empty"),
        ({"capex": [1.0] * 11}, InvalidCashflowError, "lengthen the horizon"),
        ({"capex": [float("nan")]}, InvalidCashflowError, "NaN"),
        ({"horizon": 0}, InvalidParameterError, "horizon"),
        ({"fixed_opex": float("inf")}, InvalidCashflowError, "fixed_opex"),
        ({"revenue_growth": -1.0}, InvalidRateError, "revenue_growth"),
        ({"volume": [1.0, 2.0]}, InvalidCashflowError, "one per year"),
        ({"operation_start": 10}, InvalidParameterError, "operation_start"),
        ({"replacements": [Replacement("x", 1.0, 0)]}, InvalidParameterError, "lifetime"),
    ],
)
def test_bad_inputs_raise_named_errors(kw, error, match):
    with pytest.raises(error, match=match):
        build_flows(_project(**kw))


def test_yearly_flows_validates_lines():
    z = np.zeros(3)
    with pytest.raises(InvalidCashflowError, match="same, non-zero number"):
        YearlyFlows(2025, z, z, z, z, z, np.zeros(4))
    with pytest.raises(InvalidCashflowError, match="NaN or infinite"):
        YearlyFlows(2025, z, z, z, z, np.array([1.0, np.inf, 0.0]), z)


@pytest.mark.parametrize("capex", [[1e308], [1e300, 1e300], [2e15]])
def test_amounts_beyond_any_project_are_refused_not_turned_into_300_digits(capex):
    inputs = ProjectInputs(start_year=2027, horizon=20, capex=capex, currency="EUR")
    with pytest.raises(InvalidCashflowError, match="check the unit"):
        build_flows(inputs)
