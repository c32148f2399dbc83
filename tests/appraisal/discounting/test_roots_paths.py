"""The root finder's paths agree: block bounds and Halley, exact signs, Bernstein subdivision.

irr_many takes a cheap path for most rows and a careful one for the rest; these tests
force each path and check it against an independent answer (exact rational arithmetic,
numpy's companion-matrix roots, the scalar functions).
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.discounting.batch import irr_many
from appraisal.discounting.metrics import irr, irr_all
from appraisal.discounting.root_bounds import block_bounds, bounds, exact_bounds, sign_changes
from appraisal.discounting.root_isolation import _TAU, isolate
from appraisal.errors import MultipleIRRError, NoIRRError

MAGNITUDE = st.floats(1e-6, 1e3)
FLOWS = arrays(
    np.float64,
    st.integers(2, 30),
    elements=st.one_of(st.just(0.0), MAGNITUDE, MAGNITUDE.map(lambda v: -v)),
)


def _scalar_irr(row):
    try:
        return irr(row)
    except (NoIRRError, MultipleIRRError):
        return np.nan


def _exact_changes(values):
    """Sign changes of the running sums, in exact rational arithmetic."""
    total, signs = Fraction(0), []
    for v in values:
        total += Fraction(v)
        signs.append((total > 0) - (total < 0))
    return int(sign_changes(np.array([signs]))[0]), (total > 0) - (total < 0)


@settings(max_examples=200, deadline=None)
@given(FLOWS)
def test_exact_bounds_match_rational_arithmetic(c):
    b_pos, b_neg, total = exact_bounds(c[None, :])
    pos, sign = _exact_changes(c.tolist())
    neg, _ = _exact_changes(c.tolist()[::-1])
    assert (b_pos[0], b_neg[0], total[0]) == (pos, neg, sign)


def test_exact_bounds_see_through_rounding():
    # 0.1 + 0.2 - 0.3 is 5.6e-17 in floating point and 2.8e-17 exactly: positive either
    # way, but only exact partials can say so for sure.
    b_pos, b_neg, total = exact_bounds(np.array([[0.1, 0.2, -0.3]]))
    assert total[0] == 1 and b_pos[0] == 0 and b_neg[0] == 1


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 80), st.integers(2, 30)), elements=MAGNITUDE),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_block_bounds_agree_with_exact_signs_where_not_in_doubt(mag, lead, trail):
    signs = np.where(np.arange(mag.size).reshape(mag.shape) % 3 == 0, -1.0, 1.0)
    flows = mag * signs
    # Leading and trailing zero flows on every other row (padded horizons).
    flows[::2, :lead] = 0.0
    flows[::2, flows.shape[1] - trail :] = 0.0
    b_pos, b_neg, doubt, total, _, _ = block_bounds(np.ascontiguousarray(flows.T))
    for i in np.flatnonzero(~doubt):
        pos, sign = _exact_changes(flows[i].tolist())
        neg, _ = _exact_changes(flows[i].tolist()[::-1])
        assert (b_pos[i], b_neg[i], np.sign(total[i])) == (pos, neg, sign)


def _roots_in_unit_interval(coef):
    """Roots z in (0, 1) of sum coef[k] z**k from numpy's companion matrix."""
    z = np.roots(coef[::-1])
    real = z[np.abs(z.imag) < 1e-9].real
    return np.sort(real[(real > 1e-9) & (real < 1 - 1e-9)])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(0.05, 0.95), min_size=1, max_size=5), st.integers(0, 3))
def test_isolate_finds_every_root_of_a_product_of_linear_factors(roots, extra):
    """(z - r1)...(z - rk) times (1 + z**2)**extra: exactly the ri in (0, 1)."""
    roots = sorted(roots)
    assume(all(b - a > 1e-3 for a, b in zip(roots[:-1], roots[1:], strict=False)))
    # Subdivision gives up (and the caller falls back to eigenvalues) only when every
    # candidate split point of [0, 1] is itself a root.
    assume(not all(any(abs(r - t) < 1e-9 for r in roots) for t in _TAU))
    poly = np.polynomial.polynomial.polyfromroots(roots)
    for _ in range(extra):
        poly = np.polynomial.polynomial.polymul(poly, [1.0, 0.0, 1.0])
    count, intervals = isolate(poly[None, :])
    assert count[0] == len(roots)
    for (_, lo, hi, _), r in zip(sorted(intervals, key=lambda t: t[1]), roots, strict=True):
        assert lo < r < hi


def test_isolate_gives_up_on_a_double_root_rather_than_guess():
    poly = np.polynomial.polynomial.polyfromroots([0.3, 0.3, 0.7])
    count, _ = isolate(poly[None, :])
    assert count[0] == -1


@settings(max_examples=100, deadline=None)
@given(FLOWS)
def test_isolate_agrees_with_companion_matrix_roots(c):
    assume(np.any(c))
    count, _ = isolate(c[None, :] / np.abs(c).max())
    if count[0] >= 0:
        found = _roots_in_unit_interval(c / np.abs(c).max())
        # numpy may see a double root as two, or a close pair as complex: compare
        # only where its roots are well separated.
        assume(found.size < 2 or np.min(np.diff(found)) > 1e-6)
        assert count[0] == found.size


def test_rows_the_bounds_leave_open_are_settled_by_subdivision():
    """Flows with one root above 0 % and 0 or 2 below: the bound alone cannot tell."""
    rng = np.random.default_rng(11)
    flows = rng.normal(12.0, 6.0, (600, 30))
    flows[:, 0] = -rng.uniform(60, 160, 600)
    # A late cost, then a small inflow: two sign changes in the sums from the end.
    flows[:, -2] = -rng.uniform(10, 60, 600)
    flows[:, -1] = rng.uniform(0.5, 8, 600)
    b_pos, b_neg, _ = bounds(flows)
    open_rows = np.flatnonzero((b_pos + b_neg >= 2) & ~((b_pos % 2 == 1) & (b_neg % 2 == 1)))
    assert open_rows.size > 100  # the case is common in this sample
    rates, counts = irr_many(flows[open_rows], return_counts=True)
    for i, row in enumerate(flows[open_rows]):
        roots = irr_all(row)
        assert counts[i] == min(len(roots), 2)
        if len(roots) == 1:
            assert rates[i] == pytest.approx(roots[0], rel=1e-12)


def test_padded_and_long_rows_give_the_scalar_answers():
    rng = np.random.default_rng(5)
    flows = np.zeros((60, 480))
    flows[:, 0] = -rng.uniform(50, 150, 60)
    flows[:, 1:300] = rng.normal(1.0, 0.6, (60, 299))
    flows[:20] = np.roll(flows[:20], 7, axis=1)  # leading zeros: the careful path
    many, counts = irr_many(flows, return_counts=True)
    assert np.count_nonzero(counts == 1) > 30
    one = np.array([_scalar_irr(row) for row in flows])
    np.testing.assert_array_equal(np.isnan(many), np.isnan(one))
    np.testing.assert_allclose(many[~np.isnan(one)], one[~np.isnan(one)], rtol=1e-12)


def test_rows_on_both_paths_and_of_any_scale_agree():
    """The same row alone, in a block, and scaled by powers of two gives the same rate."""
    rng = np.random.default_rng(9)
    base = rng.normal(10.0, 8.0, (500, 25))
    base[:, 0] = -rng.uniform(50, 150, 500)
    scaled = base * np.ldexp(1.0, rng.integers(-400, 400, 500))[:, None]
    a, b = irr_many(base), irr_many(scaled)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    ok = ~np.isnan(a)
    np.testing.assert_allclose(a[ok], b[ok], rtol=1e-12)
    for i in np.flatnonzero(ok)[:40]:
        assert irr(base[i]) == a[i]


def test_round_number_flows_with_exactly_zero_partial_sums():
    """Whole-number flows often sum to exactly 0 part-way: exact signs, no guessing."""
    rng = np.random.default_rng(3)
    flows = rng.integers(-3, 12, (3000, 12)).astype(float) * 10
    flows[:, 0] = -rng.integers(5, 15, 3000) * 10
    b_pos, b_neg, total = exact_bounds(flows)
    for i in range(0, 3000, 15):
        pos, sign = _exact_changes(flows[i].tolist())
        neg, _ = _exact_changes(flows[i].tolist()[::-1])
        assert (b_pos[i], b_neg[i], total[i]) == (pos, neg, sign)
    many = irr_many(flows)
    for i in range(0, 3000, 15):
        one = _scalar_irr(flows[i])
        assert many[i] == pytest.approx(one, rel=1e-12, nan_ok=True)


def test_rows_whose_npv_at_zero_is_exactly_zero_are_deflated_together():
    """r = 0 is a root (zero-interest loans); a double root there still counts once."""
    rng = np.random.default_rng(4)
    flows = rng.integers(1, 12, (400, 20)).astype(float) * 10
    flows[:, 0] -= flows.sum(axis=1)  # repaid with no interest: NPV at 0 % is 0
    flows[:5] = [[1, -2, 1] + [0] * 17] * 5  # (1 - x)**2: a double root at r = 0
    flows[5:10, -1] = -500.0  # a late cost: a second root, below 0 %
    flows[5:10, 0] += 500.0
    rates, counts = irr_many(flows, return_counts=True)
    for i in range(0, 400, 7):
        roots = irr_all(flows[i])
        assert counts[i] == min(len(roots), 2)
        if len(roots) == 1:
            assert rates[i] == roots[0] == 0.0
