"""appraisal.discounting.metrics: published worked examples, conventions and error messages."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from appraisal.discounting import metrics
from appraisal.discounting.metrics import (
    annuity_factor,
    bcr,
    discounted_payback,
    irr,
    irr_all,
    mirr,
    npv,
    payback,
    pmt,
    xirr,
    xnpv,
)
from appraisal.errors import (
    AppraisalError,
    InvalidCashflowError,
    InvalidDatesError,
    InvalidParameterError,
    InvalidRateError,
    MultipleIRRError,
    NoIRRError,
    UnknownDayCountError,
)

DATA = Path(__file__).parents[1] / "data"
GOLDEN = json.loads((DATA / "metrics_golden.json").read_text())["cases"]


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: f"{c['function']}:{c['source'][:40]}")
def test_published_examples(case):
    assert case["source"].strip()
    got = getattr(metrics, case["function"])(**case["args"])
    if "expected_contains" in case:
        assert len(got) == case["n_roots"]
        assert min(abs(r - case["expected_contains"]) for r in got) <= case["tol"]
    else:
        assert got == pytest.approx(case["expected"], abs=case["tol"])


def test_npv_does_not_discount_t0_and_matches_excel_with_a_leading_zero():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    excel_style = sum(v / 1.07 ** (i + 1) for i, v in enumerate(flows))
    assert npv(0.07, [0.0, *flows]) == pytest.approx(excel_style, rel=1e-14)
    assert npv(0.07, flows) == pytest.approx(excel_style * 1.07, rel=1e-14)
    assert npv(0.0, flows) == pytest.approx(sum(flows))


def test_irr_of_a_two_flow_series_is_exact():
    assert irr([-100, 110]) == pytest.approx(0.10, abs=1e-15)
    assert irr([-100, 100]) == 0.0


def test_irr_refuses_several_roots_and_lists_them():
    with pytest.raises(MultipleIRRError) as err:
        irr([-100, 230, -132])
    assert err.value.roots == pytest.approx([0.1, 0.2], abs=1e-12)
    assert "10 %" in str(err.value) and "20 %" in str(err.value)


@pytest.mark.parametrize(
    ("flows", "why"),
    [
        ([100, 50, 20], "never change sign"),
        ([-100, -50], "never change sign"),
        ([0, 0, 0], "every flow is zero"),
        ([7], "never change sign"),
        ([100, -300, 250], "NPV never reaches zero"),
    ],
)
def test_irr_says_why_there_is_none(flows, why):
    with pytest.raises(NoIRRError, match=why):
        irr(flows)


def test_irr_all_is_empty_when_there_is_no_root_and_raises_on_all_zeros():
    assert irr_all([100, -300, 250]) == []
    with pytest.raises(NoIRRError):
        irr_all([0.0, 0.0])


def test_irr_all_finds_a_double_root():
    # (1 - x)**2 with x = 1/(1+r): NPV touches zero at r = 0 without crossing.
    assert irr_all([1, -2, 1]) == pytest.approx([0.0], abs=1e-7)
    roots = irr_all([-1, 3, -3, 1])  # (x - 1)**3: a triple root at 0
    assert roots == pytest.approx([0.0], abs=1e-5)


def test_irr_long_horizon_and_near_minus_one():
    flows = [-1000.0] + [2.0] * 480  # 480 monthly payments that never repay the outlay
    r = irr(flows)
    assert -1 < r < 0
    assert abs(npv(r, flows)) <= 1e-9 * 1000
    assert irr([-1, 1e-9]) == pytest.approx(1e-9 - 1, rel=1e-12)
    assert irr([-1.0] + [0.0] * 199 + [1e-6]) == pytest.approx(10 ** (-6 / 200) - 1, rel=1e-9)


def test_irr_is_scale_invariant():
    flows = np.array([-250.0, 30, 45, 60, -20, 90, 110])
    r = irr(flows)
    for scale in (1e-12, 1e-300, 1e12, 1e300):
        assert irr(flows * scale) == pytest.approx(r, rel=1e-12)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: npv(0.1, []), InvalidCashflowError, "empty"),
        (lambda: npv(0.1, [1, float("nan")]), InvalidCashflowError, "NaN"),
        (lambda: npv(0.1, [1, float("inf")]), InvalidCashflowError, "infinite"),
        (lambda: npv(0.1, [[1, 2], [3, 4]]), InvalidCashflowError, "1-D"),
        (lambda: npv(0.1, ["a"]), InvalidCashflowError, "numbers"),
        (lambda: npv(-1, [1, 2]), InvalidRateError, "-100 %"),
        (lambda: npv(-1.5, [1, 2]), InvalidRateError, "-100 %"),
        (lambda: npv(float("nan"), [1, 2]), InvalidRateError, "finite"),
        (lambda: npv(-0.999999, [1.0] * 2000), InvalidRateError, "overflows"),
        (lambda: irr([]), InvalidCashflowError, "empty"),
        (lambda: irr_all([1, float("nan")]), InvalidCashflowError, "NaN"),
        (lambda: mirr([100, 100], 0.1, 0.1), InvalidCashflowError, "negative"),
        (lambda: mirr([-100, 100], -1, 0.1), InvalidRateError, "finance_rate"),
        (lambda: xnpv(0.1, [1, 2], ["2024-01-01"]), InvalidDatesError, "1 dates for 2"),
        (lambda: xnpv(0.1, [1, 2], ["2024-01-01", "2023-01-01"]), InvalidDatesError, "precede"),
        (lambda: xnpv(0.1, [1, 2], ["2024-01-01", "x"]), InvalidDatesError, "dates"),
        (lambda: xnpv(0.1, [1, 2], ["2024-01-01", None]), InvalidDatesError, "missing"),
        (
            lambda: xnpv(0.1, [1, 2], ["2024-01-01", "2025-01-01"], day_count="bus/252"),
            UnknownDayCountError,
            "act/365F",
        ),
        (lambda: xirr([1, 2], ["2024-01-01", "2025-01-01"]), NoIRRError, "never change sign"),
        (lambda: pmt(0.1, 0, 100), InvalidParameterError, "nper"),
        (lambda: pmt(0.1, 10, 100, when="middle"), InvalidParameterError, "when"),
        (lambda: bcr(0.1, [1, 2], [1]), InvalidCashflowError, "pad with zeros"),
        (lambda: bcr(0.1, [1, 2], [0, 0]), InvalidCashflowError, "costs"),
    ],
)
def test_errors_name_the_problem(call, error, words):
    with pytest.raises(error, match=words) as err:
        call()
    assert isinstance(err.value, AppraisalError)


def test_xnpv_and_xirr_agree_and_day_counts_differ():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    dates = ["2023-01-15", "2023-12-31", "2024-12-31", "2025-06-30"]
    r = xirr(flows, dates)
    assert abs(xnpv(r, flows, dates)) < 1e-9
    rates = {dc: xirr(flows, dates, day_count=dc) for dc in ("act/365F", "act/360", "30/360")}
    rates["act/act"] = xirr(flows, dates, day_count="ACT/ACT")
    assert len({round(v, 9) for v in rates.values()}) == 4


def test_xirr_with_yearly_dates_and_act_360_equals_irr_of_the_same_flows():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    dates = ["2023-01-01", "2023-12-27", "2024-12-21", "2025-12-16"]  # 360 days apart
    assert xirr(flows, dates, day_count="act/360") == pytest.approx(irr(flows), rel=1e-10)


def test_xirr_merges_same_day_flows_and_refuses_several_roots():
    d = ["2023-01-01", "2023-01-01", "2024-01-01"]  # 365 days
    assert xirr([-60, -40, 110], d) == pytest.approx(0.10, abs=1e-12)
    with pytest.raises(MultipleIRRError) as err:
        xirr([-100, 230, -132], ["2024-01-01", "2024-12-31", "2025-12-31"])
    assert len(err.value.roots) == 2


def test_pmt_conventions():
    assert pmt(0.0, 10, 1000) == -100.0
    assert pmt(0.05, 10, 1000) == pytest.approx(-1000 / annuity_factor(0.05, 10))
    assert pmt(1e-12, 10, 1000) == pytest.approx(-100.0, rel=1e-9)
    assert annuity_factor(0.05, 10, when="begin") == pytest.approx(annuity_factor(0.05, 10) * 1.05)


def test_payback_conventions():
    assert payback([-100, 30, 40, 50]) == pytest.approx(2.6)
    assert payback([10, 20]) == 0.0
    assert payback([-100, 30, 40]) is None
    # Paid back in period 2, negative again in period 3: payback is the final crossing.
    assert payback([-100, 60, 60, -50, 60]) == pytest.approx(3 + 30 / 60)
    assert discounted_payback(0.0, [-100, 30, 40, 50]) == pytest.approx(2.6)
    assert discounted_payback(0.5, [-100, 30, 40, 50]) is None


def test_bcr_and_npv_agree():
    b, c = [0, 60, 60, 60], [100, 10, 10, 10]
    ratio = bcr(0.05, b, c)
    net = npv(0.05, np.subtract(b, c))
    assert (ratio > 1) == (net > 0)
    assert math.isclose(ratio, npv(0.05, b) / npv(0.05, c))
