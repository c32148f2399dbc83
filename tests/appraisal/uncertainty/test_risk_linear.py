"""The closed-form sensitivity of a linear line model equals the numeric one (risk.py)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidParameterError
from appraisal.uncertainty.risk import LineModel, elasticities, switching_values, tornado
from appraisal.uncertainty.risk_linear import (
    linear_elasticities,
    linear_switching_values,
    linear_tornado,
)

AMOUNT = st.floats(-1e6, 1e6, allow_nan=False)


def _close(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(AMOUNT, min_size=6, max_size=6), min_size=3, max_size=3),
    st.floats(0.0, 0.12),
)
def test_linear_sensitivity_equals_the_numeric_one(rows, rate):
    lines = {"capex": rows[0], "opex": rows[1], "revenue": rows[2]}
    drivers = {"capex": ["capex"], "opex": ["opex"], "revenue": ["revenue"]}
    model = LineModel(lines, drivers)
    base = model.base_values()
    slopes = {v: npv(rate, lines[v]) for v in drivers}
    net = np.sum([np.asarray(v) for v in lines.values()], axis=0)
    npv0 = npv(rate, net)
    scale = float(np.abs(net).sum())
    try:
        want = elasticities(model, base, rate)[1]
    except InvalidParameterError:
        with pytest.raises(InvalidParameterError):
            linear_elasticities(npv0, slopes, scale)
    else:
        got = linear_elasticities(npv0, slopes, scale)
        by_var = {e.variable: e for e in got}
        for e in want:  # the order may differ only between ties
            assert _close(by_var[e.variable].elasticity, e.elasticity)
    want_sv = {s.variable: s for s in switching_values(model, base, rate)}
    for s in linear_switching_values(npv0, slopes):
        w = want_sv[s.variable]
        if w.value is None or s.value is None:  # only at the edge of the +/-1000 % window
            assert w.value is s.value or abs(abs(npv0 / slopes[s.variable]) - 10) < 1e-6
            continue
        assert _close(s.value, w.value) and _close(s.change, w.change) and s.note == w.note
    ranges = {"capex": (0.9, 1.3), "opex": (0.9, 1.2), "revenue": (0.8, 1.1)}
    want_bars = {b.variable: b for b in tornado(model, base, ranges, rate)[1]}
    for b in linear_tornado(npv0, slopes, ranges):
        w = want_bars[b.variable]
        assert _close(b.npv_low, w.npv_low) and _close(b.npv_high, w.npv_high)


def test_a_variable_that_moves_nothing_has_no_switching_value():
    (sv,) = linear_switching_values(5.0, {"benefits": 0.0})
    assert sv.value is None and sv.note == "NPV keeps its sign for changes within +/-1000%"
