"""appraisal.discounting.batch: the vectorised functions give the scalar answers row by row."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.discounting.batch import irr_many, npv_many
from appraisal.discounting.metrics import irr, npv
from appraisal.errors import InvalidCashflowError, InvalidRateError, MultipleIRRError, NoIRRError

MAGNITUDE = st.floats(1e-3, 1e6)  # nine orders of magnitude, as within one project
FLOW = st.one_of(st.just(0.0), MAGNITUDE, MAGNITUDE.map(lambda v: -v))


def _scalar_irr(row):
    try:
        return irr(row)
    except (NoIRRError, MultipleIRRError):
        return np.nan


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.integers(1, 25)), elements=FLOW))
def test_irr_many_equals_irr_row_by_row(flows):
    many = irr_many(flows)
    one = np.array([_scalar_irr(row) for row in flows])
    np.testing.assert_array_equal(np.isnan(many), np.isnan(one))
    ok = ~np.isnan(one)
    np.testing.assert_allclose(many[ok], one[ok], rtol=1e-12, atol=1e-15)


def test_irr_many_on_many_conventional_rows_matches_irr_and_the_npv_is_zero():
    rng = np.random.default_rng(7)
    flows = rng.normal(12, 6, (3000, 30))
    flows[:, 0] = -rng.uniform(60, 160, 3000)
    rates, counts = irr_many(flows, return_counts=True)
    sample = rng.choice(3000, 200, replace=False)
    for i in sample:
        assert rates[i] == pytest.approx(_scalar_irr(flows[i]), rel=1e-12, nan_ok=True)
    ok = counts == 1
    assert ok.mean() > 0.9
    np.testing.assert_array_less(np.abs(npv_many(rates[ok], flows[ok])), 1e-9 * 160)
    assert np.all(np.isnan(rates[counts != 1]))


def test_irr_many_counts_and_padding():
    flows = [[-100, 110, 0, 0], [100, 10, 0, 0], [-100, 230, -132, 0], [0, 0, 0, 0]]
    rates, counts = irr_many(flows, return_counts=True)
    assert counts.tolist() == [1, 0, 2, -1]
    assert rates[0] == pytest.approx(0.1)
    assert np.isnan(rates[1:]).all()
    assert irr_many(np.empty((0, 5))).shape == (0,)


def test_npv_many_matches_npv_for_scalar_and_per_row_rates():
    rng = np.random.default_rng(3)
    flows = rng.normal(0, 100, (50, 40))
    rates = rng.uniform(-0.5, 0.5, 50)
    np.testing.assert_allclose(
        npv_many(rates, flows), [npv(r, f) for r, f in zip(rates, flows, strict=True)], rtol=1e-11
    )
    np.testing.assert_allclose(npv_many(0.04, flows), [npv(0.04, f) for f in flows], rtol=1e-11)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: npv_many(0.1, [1, 2]), InvalidCashflowError, "2-D"),
        (lambda: npv_many(0.1, np.empty((3, 0))), InvalidCashflowError, "no periods"),
        (lambda: npv_many(0.1, [[1, np.nan], [1, 2]]), InvalidCashflowError, r"rows \[0\]"),
        (lambda: npv_many([0.1, 0.2], [[1, np.inf], [1, 2]]), InvalidCashflowError, "infinite"),
        (lambda: npv_many([0.1, 0.2, 0.3], [[1, 2], [1, 2]]), InvalidRateError, "one per row"),
        (lambda: npv_many([0.1, -1], [[1, 2], [1, 2]]), InvalidRateError, r"\[1\]"),
        (lambda: npv_many(-0.9999999, np.ones((2, 3000))), InvalidRateError, "overflows"),
        (lambda: irr_many([[1, 2], [np.nan, 2]]), InvalidCashflowError, r"rows \[1\]"),
        (lambda: irr_many([1, 2]), InvalidCashflowError, "2-D"),
    ],
)
def test_batch_errors_name_the_problem(call, error, words):
    with pytest.raises(error, match=words):
        call()
