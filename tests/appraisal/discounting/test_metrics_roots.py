"""Invariants of irr / irr_all (hypothesis): every root is a root, none is missed."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.discounting.metrics import irr, irr_all, irr_report
from appraisal.discounting.roots import real_irrs
from appraisal.errors import MultipleIRRError, NoIRRError

# Flows of one project span at most nine orders of magnitude (or are exactly zero);
# beyond that the IRR itself is not representable next to -100 %.
MAGNITUDE = st.floats(1e-6, 1e3)
FLOWS = arrays(
    np.float64,
    st.integers(2, 40),
    elements=st.one_of(st.just(0.0), MAGNITUDE, MAGNITUDE.map(lambda v: -v)),
)


def _relative_npv(c, r):
    """NPV at r over the size of its terms: 0 up to rounding at a true root.

    Evaluated in z = 1/(1+r) for r >= 0 and z = 1+r below, so no power overflows.
    """
    if r >= 0:
        terms = c * (1.0 / (1.0 + r)) ** np.arange(c.size)
    else:
        terms = c * (1.0 + r) ** np.arange(c.size - 1, -1, -1)
    mag = np.abs(terms).sum()
    return abs(terms.sum()) / mag if mag > 0 else 0.0


@settings(max_examples=300, deadline=None)
@given(FLOWS)
def test_npv_vanishes_at_every_root_and_roots_are_ascending(c):
    assume(np.any(c))
    roots = real_irrs(c)  # every root, also those outside the window irr_all lists
    assert roots == sorted(roots)
    assert all(r >= -1 for r in roots)  # -1.0: a root within 1e-16 of -100 %
    for r in roots:
        if r > -1:  # -1.0 is a root z = 1 + r below 1e-16 that no double can show
            # Storing r as a double moves 1 + r by up to 1.1e-16, relatively more near -1.
            assert _relative_npv(c, r) < 1e-9 + c.size * 4.4e-16 / min(1.0, 1.0 + r)


@settings(max_examples=300, deadline=None)
@given(FLOWS)
def test_irr_all_misses_no_sign_change_of_npv(c):
    """Between consecutive roots (and beyond them) NPV keeps one sign."""
    assume(np.any(c))
    roots = real_irrs(c)
    edges = [-1.0, *roots, np.inf]
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        z_lo, z_hi = 1 / (1 + lo) if lo > -1 else np.inf, 1 / (1 + hi) if hi < np.inf else 0.0
        # Sample strictly inside the interval, in x = 1/(1+r), well away from its ends.
        zs = np.linspace(z_hi, min(z_lo, 1e3), 202)[1:-1]
        zs = zs[(zs > z_hi * (1 + 1e-6)) & (zs < z_lo * (1 - 1e-6))]
        # All sample points at once (Horner over the vector of points).
        vals = np.polyval(c[::-1] / np.abs(c).max(), zs)
        scale = np.polyval(np.abs(c[::-1]) / np.abs(c).max(), zs)
        clear = np.abs(vals) > 1e-8 * scale
        assert len(set(np.sign(vals[clear]))) <= 1


@settings(max_examples=200, deadline=None)
@given(FLOWS, st.sampled_from([1e-12, 1e-200, 3.0, 1e12, 1e200]))
def test_irr_all_is_scale_invariant(c, scale):
    assume(np.any(c))
    a, b = real_irrs(c), real_irrs(c * scale)
    assert len(a) == len(b)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(FLOWS)
def test_irr_agrees_with_irr_all(c):
    assume(np.any(c))
    every = real_irrs(c)
    report = irr_report(c)
    assert report.roots == irr_all(c)
    assert report.total == len(every)
    try:
        assert [irr(c)] == pytest.approx(every, rel=1e-12, abs=1e-15)
    except NoIRRError:
        assert every == []
    except MultipleIRRError as err:
        assert err.roots == report.roots and len(every) >= 2


@settings(max_examples=60, deadline=None)
@given(st.floats(-0.6, 2.0), st.integers(100, 600), st.floats(0.5, 50))
def test_long_horizon_annuity_has_its_exact_rate(rate, n, scale):
    """An outlay of 1 repaid by n level payments priced at ``rate``: the IRR is ``rate``."""
    growth = (1.0 + rate) ** -np.arange(1, n + 1)
    flows = np.concatenate([[-1.0], np.full(n, 1.0 / growth.sum())])
    np.testing.assert_allclose(irr(flows), rate, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(irr(flows * scale), irr(flows), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("rate", [-0.9, -0.99, -0.999, -0.9999999])
def test_rates_close_to_minus_one(rate):
    flows = np.array([-1.0, 0.0, 0.0, (1.0 + rate) ** 3])
    np.testing.assert_allclose(irr(flows), rate, rtol=1e-12)


@pytest.mark.parametrize("n", [480, 541, 600])
def test_zero_rate_annuity_whose_total_is_within_rounding_of_zero(n):
    """Outlay 1, n payments of 1/n: NPV at 0 % is zero to rounding, on either side of it.

    The cumulative sums' signs are then taken exactly (not guessed), and the single root
    next to 0 % is solved without falling back to eigenvalues of an n x n matrix.
    """
    flows = np.concatenate([[-1.0], np.full(n, 1.0 / n)])
    assert abs(irr(flows)) < 1e-11
    assert irr_all(flows) == pytest.approx([0.0], abs=1e-11)
