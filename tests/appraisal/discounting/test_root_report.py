"""Issue 16: roots reported as distinct rates within -99 %..1,000 %, others counted; no bare
RuntimeError from the dated root finder."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from appraisal.batch import irr_many
from appraisal.discounting.metrics import irr, irr_all, irr_report, xirr, xnpv
from appraisal.discounting.roots import real_irrs
from appraisal.errors import AppraisalError, MultipleIRRError

DATA = Path(__file__).parents[1] / "data"
TRIPLE = [1000.0, -3600.0, 4320.0, -1728.0]  # 1000 (1 - 1.2 x)**3, x = 1 / (1 + r)


def test_a_triple_root_is_one_irr():
    assert irr_all(TRIPLE) == pytest.approx([0.2], abs=1e-9)
    assert irr(TRIPLE) == pytest.approx(0.2, abs=1e-9)
    assert irr_many([TRIPLE])[0] == pytest.approx(0.2, abs=1e-9)
    assert real_irrs(np.array(TRIPLE)) == pytest.approx([0.2], abs=1e-9)


def test_close_but_distinct_roots_stay_apart():
    # (1 - 1.1 x)(1 - 1.1001 x): IRRs of 10 % and 10.01 %, a simple root each.
    flows = np.polynomial.polynomial.polyfromroots([1 / 1.1, 1 / 1.1001]) * 1.1 * 1.1001
    roots = irr_all(flows)
    assert roots == pytest.approx([0.1, 0.1001], abs=1e-9)


def test_roots_outside_the_window_are_counted_not_listed():
    # Roots at -99.5 %, 10 % and 2,000 %: z = 1 / (1 + r) = 200, 1/1.1, 1/21.
    flows = np.polynomial.polynomial.polyfromroots([200.0, 1 / 1.1, 1 / 21.0])
    report = irr_report(flows)
    assert report.roots == pytest.approx([0.1], abs=1e-9)
    assert (report.below, report.above) == (1, 1)
    assert irr_all(flows) == pytest.approx([0.1], abs=1e-9)
    with pytest.raises(MultipleIRRError) as err:
        irr(flows)
    assert "1 below -99 %" in str(err.value) and "1 above 1,000 %" in str(err.value)
    assert err.value.roots == pytest.approx([0.1], abs=1e-9)


def _sample(name):
    data = json.loads((DATA / "pyxirr_samples.json").read_text())["samples"][name]
    pairs = sorted(zip(data["dates"], data["amounts"], strict=True))
    return [a for _, a in pairs], [d for d, _ in pairs], data["expected_pyxirr"]


def test_xirr_never_lists_minus_100_or_infinity_and_counts_far_roots():
    # pyxirr's sample 1938.csv: one rate in the window (pyxirr's answer); another
    # above 1,000 % and an "infinite" one (z underflowing to 0) that is no root at all.
    amounts, dates, expected = _sample("1938")
    assert xirr(amounts, dates) == pytest.approx(expected, rel=1e-9)


def test_xirr_near_minus_100_reports_both_roots_below_the_window():
    amounts, dates, expected = _sample("minus_0_993")
    with pytest.raises(MultipleIRRError) as err:
        xirr(amounts, dates)
    assert "2 below -99 %" in str(err.value)
    assert err.value.roots == []
    # pyxirr's rate is one of the two, and both are roots.
    assert abs(xnpv(expected, amounts, dates)) < 1e-8 * 1e6


def _random_dated(seed, k):
    """Thirty dated flows of either sign over 19 years, as pyxirr's 30-NN samples."""
    rng = np.random.default_rng(seed)
    for _ in range(k + 1):
        days = np.sort(rng.integers(0, 365 * 19, 30))
        flows = rng.normal(0, 1500, 30)
        flows[0] = -abs(flows[0])
    dates = [dt.date(2024, 9, 9) + dt.timedelta(int(d)) for d in days]
    return flows.tolist(), dates


def test_xirr_solves_where_brent_used_to_give_up():
    # These flows used to raise RuntimeError("Failed to converge after 500 iterations"):
    # a sign change below z = 1e-300 (flows a day apart). pyxirr's rate is the only
    # one within the window.
    flows, dates = _random_dated(1, 1569)
    assert xirr(flows, dates) == pytest.approx(-0.036944273221490895, rel=1e-9)


@pytest.mark.parametrize(("k", "pyxirr_rate"), [(775, 0.550803675330779), (1916, -0.05488)])
def test_xirr_refuses_two_rates_in_the_window_where_a_peer_picks_one(k, pyxirr_rate):
    flows, dates = _random_dated(1, k)
    with pytest.raises(MultipleIRRError) as err:
        xirr(flows, dates)
    assert len(err.value.roots) == 2 and err.value.above == 1
    assert pyxirr_rate == pytest.approx(err.value.roots[1], rel=1e-4)
    for r in err.value.roots:  # XNPV vanishes relative to the size of its terms
        assert abs(xnpv(r, flows, dates)) < 1e-12 * xnpv(r, np.abs(flows), dates)


def test_every_xirr_failure_is_a_domain_error():
    rng = np.random.default_rng(7)
    for _ in range(150):
        n = int(rng.integers(2, 40))
        days = np.sort(rng.integers(0, 365 * 30, n))
        dates = [dt.date(2000, 1, 1) + dt.timedelta(int(d)) for d in days]
        flows = rng.normal(0, 1, n) * 10.0 ** rng.integers(-3, 6, n)
        try:
            r = xirr(flows, dates)
        except AppraisalError as error:  # never a bare RuntimeError; always a reason
            assert str(error)
            continue
        assert np.isfinite(r) and r > -1
        if r >= -0.99:  # closer to -100 % XNPV itself overflows
            assert abs(xnpv(r, flows, dates)) <= 1e-9 * xnpv(r, np.abs(flows), dates)
