"""Sensitivity: elasticities, critical variables, switching values, tornado."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidCashflowError, InvalidParameterError
from appraisal.uncertainty.risk import LineModel, elasticities, model_npv, switching_values, tornado

YEARS = 25
CAPEX = np.r_[-60.0, -40.0, np.zeros(YEARS - 2)]
OPEX = np.r_[0.0, 0.0, np.full(YEARS - 2, -3.0)]
REVENUE = np.r_[0.0, 0.0, np.full(YEARS - 2, 10.0)]


def _model():
    return LineModel(
        {"capex": CAPEX, "opex": OPEX, "revenue": REVENUE},
        {"capex": ["capex"], "opex": ["opex"], "demand": ["revenue", "opex"]},
    )


def test_line_model_multiplies_lines_by_their_drivers():
    m = _model()
    flows = m({"demand": np.array([1.0, 2.0]), "capex": np.array([1.0, 1.5])})
    np.testing.assert_allclose(flows[0], CAPEX + OPEX + REVENUE)
    np.testing.assert_allclose(flows[1], 1.5 * CAPEX + 2 * (OPEX + REVENUE))
    np.testing.assert_allclose(m({}), (CAPEX + OPEX + REVENUE)[None, :])


def test_elasticities_match_a_one_percent_change():
    m = _model()
    npv0, els = elasticities(m, m.base_values(), 0.04)
    assert npv0 == pytest.approx(npv(0.04, CAPEX + OPEX + REVENUE))
    by_name = {e.variable: e for e in els}
    changed = npv(0.04, 1.01 * CAPEX + OPEX + REVENUE)
    assert by_name["capex"].elasticity == pytest.approx((changed / npv0 - 1) / 0.01)
    assert [abs(e.elasticity) for e in els] == sorted(
        (abs(e.elasticity) for e in els), reverse=True
    )
    assert all(e.critical == (abs(e.elasticity) >= 1.0) for e in els)


def test_switching_values_bring_npv_to_zero():
    m = _model()
    base = m.base_values()
    for sv in switching_values(m, base, 0.04):
        assert sv.value is not None
        assert model_npv(m, base | {sv.variable: np.array([sv.value])}, 0.04)[0] == pytest.approx(
            0.0, abs=1e-8
        )
        assert sv.change == pytest.approx(sv.value / base[sv.variable] - 1)


def test_switching_value_not_found_says_why():
    m = LineModel({"capex": CAPEX, "revenue": REVENUE * 10}, {"x": ["revenue"], "c": ["capex"]})
    sv = {s.variable: s for s in switching_values(m, m.base_values(), 0.04, max_change=0.5)}
    assert sv["c"].value is None and "keeps its sign" in sv["c"].note


@given(st.floats(0.5, 3.0), st.floats(0.0, 0.1))
def test_switching_value_of_a_linear_driver_is_exact(scale, rate):
    m = LineModel({"capex": CAPEX, "revenue": REVENUE * scale}, {"revenue": ["revenue"]})
    pv_cost, pv_rev = -npv(rate, CAPEX), npv(rate, REVENUE * scale)
    (sv,) = switching_values(m, m.base_values(), rate)
    assert sv.value == pytest.approx(pv_cost / pv_rev, rel=1e-9)


def test_tornado_sorted_by_swing():
    m = _model()
    npv0, bars = tornado(m, m.base_values(), {"capex": (0.9, 1.4), "demand": (0.7, 1.2)}, 0.04)
    assert [b.swing for b in bars] == sorted((b.swing for b in bars), reverse=True)
    cap = next(b for b in bars if b.variable == "capex")
    assert cap.npv_high == pytest.approx(npv(0.04, 1.4 * CAPEX + OPEX + REVENUE))
    assert npv0 == pytest.approx(npv(0.04, CAPEX + OPEX + REVENUE))


def test_errors():
    m = _model()
    with pytest.raises(InvalidParameterError, match="unknown variable"):
        m({"weather": np.array([1.0])})
    with pytest.raises(InvalidParameterError, match="unknown line"):
        LineModel({"a": [1.0]}, {"x": ["b"]})
    with pytest.raises(InvalidCashflowError, match="at least one line"):
        LineModel({}, {})
    with pytest.raises(InvalidCashflowError, match="NaN"):
        LineModel({"a": [np.nan]}, {})
    with pytest.raises(InvalidParameterError, match="NPV at base values is 0"):
        zero = LineModel({"a": [-100.0, 104.0]}, {"x": ["a"]})
        elasticities(zero, zero.base_values(), 0.04)
    with pytest.raises(InvalidParameterError, match="rate"):
        elasticities(m, m.base_values(), -1.0)
    with pytest.raises(InvalidParameterError, match="unknown variable"):
        tornado(m, m.base_values(), {"x": (0, 1)}, 0.04)
