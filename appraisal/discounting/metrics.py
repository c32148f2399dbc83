"""Discounted cash-flow metrics: NPV, IRR (all of them), MIRR, XNPV/XIRR, PMT, payback, B/C.

Conventions, the same everywhere in :mod:`appraisal`:

- Rates are decimals (0.04 is 4 % a period) and must be above -1 (-100 %).
- ``cashflows[0]`` happens at t = 0 and is **not** discounted; ``cashflows[t]`` is
  discounted by ``(1 + rate) ** t``.
- Spreadsheet users, beware: Excel's ``NPV(rate, v1, ..., vn)`` discounts its *first*
  value by one period. ``Excel NPV(r, v1..vn) == npv(r, [0, v1, ..., vn])``, and
  ``npv(r, flows) == flows[0] + Excel NPV(r, flows[1:])``. ``XNPV``/``XIRR``, ``IRR``,
  ``MIRR`` and ``PMT`` follow Excel's conventions.

Bad input raises an :class:`~appraisal.errors.AppraisalError` subclass naming the problem;
no function here returns a silent NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from appraisal.discounting.annuities import annuity_factor, pmt
from appraisal.discounting.dated import xirr, xnpv
from appraisal.discounting.root_report import RootReport, report
from appraisal.discounting.roots import irr_rows, real_irrs
from appraisal.discounting.validation import as_cashflows, check_rate, finite_result, no_irr_reason
from appraisal.errors import InvalidCashflowError, MultipleIRRError, NoIRRError

# pmt, annuity_factor (appraisal.annuities), xnpv, xirr (appraisal.dated), as_cashflows
# and check_rate (appraisal.validation) live in their own modules and are re-exported
# here, so every metric keeps one import path.
__all__ = [
    "as_cashflows",
    "check_rate",
    "npv",
    "irr",
    "irr_all",
    "irr_report",
    "mirr",
    "xnpv",
    "xirr",
    "pmt",
    "annuity_factor",
    "payback",
    "discounted_payback",
    "bcr",
]


def npv(rate: float, cashflows: Sequence[float]) -> float:
    """Net present value, with ``cashflows[0]`` at t = 0 (undiscounted).

    ``sum(cashflows[t] / (1 + rate) ** t)``. Excel's ``NPV`` differs: it discounts its
    first value too, so ``Excel NPV(r, v1..vn) == npv(r, [0, v1, ..., vn])`` and, to
    reproduce a sheet that writes ``=v0 + NPV(r, v1..vn)``, use ``npv(r, [v0, v1..vn])``.

    Parameters
    ----------
    rate : float
        Discount rate per period, a decimal above -1.
    cashflows : sequence of float
        Flows at t = 0, 1, 2, ...

    Returns
    -------
    float

    Raises
    ------
    InvalidCashflowError, InvalidRateError

    Examples
    --------
    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22

    Excel's example ``NPV(10%, -10000, 3000, 4200, 6800) = 1188.44`` (first value
    discounted):

    >>> round(npv(0.10, [0, -10_000, 3_000, 4_200, 6_800]), 2)
    1188.44
    """
    r = check_rate(rate)
    c = as_cashflows(cashflows)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(c @ np.power(1.0 + r, -np.arange(c.size, dtype=float)))
    return finite_result(value, "NPV", r)


def irr_report(cashflows: Sequence[float]) -> RootReport:
    """Every distinct real IRR: those within -99 %..1,000 % listed, the others counted.

    A double or triple root counts once. See :func:`irr_all` for the method.

    Raises
    ------
    InvalidCashflowError
        Empty, NaN or infinite flows.
    NoIRRError
        When every flow is zero (every rate would be a root).

    Examples
    --------
    >>> [round(r, 12) for r in irr_report([1000, -3600, 4320, -1728]).roots]  # a triple root
    [0.2]
    >>> r = irr_report([-1.0, 1e-9])  # a single IRR of -99.9999999 %
    >>> r.roots, r.below
    ([], 1)
    """
    c = as_cashflows(cashflows)
    if not np.any(c):
        raise NoIRRError(f"No IRR: {no_irr_reason(c)}.")
    rate, count = irr_rows(c[None, :])
    if count[0] == 1:
        return report([float(rate[0])])
    if count[0] == 0:
        return report([])
    return report(real_irrs(c))


def irr_all(cashflows: Sequence[float]) -> list[float]:
    """Every distinct real IRR within -99 %..1,000 %, ascending.

    The IRRs are the roots of the NPV polynomial in ``1 / (1 + r)``. Sign-change bounds
    (Descartes' rule on the cumulative flows, Norstrom's criterion; exact signs where
    rounding could mislead) prove how many roots each side of 0 % can hold; one-root
    sides are solved by Halley's or safeguarded Newton iteration, others isolated by
    subdivision in the Bernstein basis and, for double roots, companion-matrix
    eigenvalues. Each root is polished until NPV vanishes to rounding, and a double or
    triple root is reported once. Works for long horizons (hundreds of periods), rates
    close to -100 % and any scale of flows. Roots outside the window are counted by
    :func:`irr_report`.

    Parameters
    ----------
    cashflows : sequence of float
        Flows at t = 0, 1, 2, ...

    Returns
    -------
    list of float
        Empty when no real IRR exists within the window.

    Raises
    ------
    InvalidCashflowError
        Empty, NaN or infinite flows.
    NoIRRError
        When every flow is zero (every rate would be a root).

    Examples
    --------
    >>> [round(r, 6) for r in irr_all([-100, 230, -132])]
    [0.1, 0.2]
    >>> irr_all([100, 50])
    []
    """
    return irr_report(cashflows).roots


def irr(cashflows: Sequence[float]) -> float:
    """The internal rate of return: the rate above -100 % at which NPV is 0.

    Unlike a spreadsheet, never guesses: when several rates make NPV zero it raises
    :class:`MultipleIRRError` listing those within -99 %..1,000 % and counting the
    others (the EU CBA guide warns that the IRR then misleads; use the NPV at the
    reference rate instead), and when none does it raises :class:`NoIRRError` saying
    why. A double or triple root is one IRR.

    Parameters
    ----------
    cashflows : sequence of float
        Flows at t = 0, 1, 2, ...

    Returns
    -------
    float

    Raises
    ------
    InvalidCashflowError
        Empty, NaN or infinite flows.
    NoIRRError
        No real IRR above -100 % (no sign change, all zeros, NPV never zero).
    MultipleIRRError
        Several real IRRs; ``.roots`` lists those within the window, ascending.

    Examples
    --------
    Excel's IRR example (five years of income after a 70,000 outlay):

    >>> round(irr([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]), 4)
    0.0866
    >>> irr([-100, 230, -132])
    Traceback (most recent call last):
    ...
    appraisal.errors.MultipleIRRError: 2 IRRs within -99 %..1,000 %: 10 %, 20 % (NPV is ...
    """
    c = as_cashflows(cashflows)
    if not np.any(c):
        raise NoIRRError(f"No IRR: {no_irr_reason(c)}.")
    rate, count = irr_rows(c[None, :])
    if count[0] == 1:
        return float(rate[0])
    if count[0] == 0:
        raise NoIRRError(f"No IRR: {no_irr_reason(c)}.")
    roots = real_irrs(c)
    if len(roots) == 1:
        return roots[0]
    if not roots:
        raise NoIRRError(f"No IRR: {no_irr_reason(c)}.")
    found = report(roots)
    raise MultipleIRRError(
        f"{found.describe()} (NPV is zero at each). A single IRR would mislead; "
        "compare NPVs at the reference discount rate, or use mirr().",
        found.roots,
        below=found.below,
        above=found.above,
    )


def mirr(cashflows: Sequence[float], finance_rate: float, reinvest_rate: float) -> float:
    """Modified IRR, as Excel's ``MIRR``: outflows financed, inflows reinvested.

    ``(FV of inflows at reinvest_rate / -PV of outflows at finance_rate) ** (1 / (n - 1))
    - 1`` with ``n`` the number of flows. Always a single, well-defined rate, which is why
    it stands in for the IRR when flows change sign several times.

    Parameters
    ----------
    cashflows : sequence of float
        Flows at t = 0, 1, ..., n - 1 (at least one negative and one positive).
    finance_rate : float
        Rate paid on the money invested (the outflows).
    reinvest_rate : float
        Rate earned on the inflows reinvested until the end.

    Returns
    -------
    float

    Raises
    ------
    InvalidCashflowError
        Fewer than two flows, or no negative or no positive flow.
    InvalidRateError

    Examples
    --------
    Excel's MIRR example (120,000 loan at 10 %, income reinvested at 12 %):

    >>> flows = [-120_000, 39_000, 30_000, 21_000, 37_000, 46_000]
    >>> round(mirr(flows, 0.10, 0.12), 4)
    0.1261
    >>> round(mirr(flows[:4], 0.10, 0.12), 4)
    -0.048
    """
    c = as_cashflows(cashflows)
    fr = check_rate(finance_rate, name="finance_rate")
    rr = check_rate(reinvest_rate, name="reinvest_rate")
    if c.size < 2 or not (np.any(c < 0) and np.any(c > 0)):
        raise InvalidCashflowError(
            "MIRR needs at least two flows with at least one negative (investment) and one "
            "positive (income)"
        )
    n = c.size
    t = np.arange(n, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        fv_in = float(np.sum(np.where(c > 0, c, 0.0) * (1.0 + rr) ** (n - 1 - t)))
        pv_out = float(np.sum(np.where(c < 0, c, 0.0) * (1.0 + fr) ** -t))
        value = (fv_in / -pv_out) ** (1.0 / (n - 1)) - 1.0
    return finite_result(value, "MIRR", max(fr, rr, key=abs))


def _payback_time(c: np.ndarray) -> float | None:
    cum = np.cumsum(c)
    if cum[-1] < 0:
        return None
    below = np.flatnonzero(cum < 0)
    if below.size == 0:
        return 0.0
    t = int(below[-1])  # the last period still short; paid back during period t + 1
    return t + float(-cum[t] / c[t + 1])


def payback(cashflows: Sequence[float]) -> float | None:
    """Payback period in (fractional) periods: when cumulative flows turn >= 0 for good.

    Flow ``t`` is taken to accrue evenly over period ``t`` (from ``t - 1`` to ``t``), so
    the period in which the balance crosses zero is interpolated linearly. If the balance
    dips below zero again later (a major replacement, decommissioning), payback is the
    final crossing: money is not "paid back" while the balance can still go negative.

    Returns
    -------
    float or None
        0.0 when the cumulative balance is never negative; **None** when it ends below
        zero (never paid back).

    Examples
    --------
    >>> payback([-100, 30, 40, 50])
    2.6
    >>> payback([-100, 30, 40]) is None
    True
    """
    return _payback_time(as_cashflows(cashflows))


def discounted_payback(rate: float, cashflows: Sequence[float]) -> float | None:
    """:func:`payback` of the flows discounted at ``rate`` (t = 0 undiscounted).

    Returns
    -------
    float or None
        None when the discounted balance ends below zero (NPV < 0: never paid back).

    Examples
    --------
    >>> round(discounted_payback(0.10, [-100, 30, 40, 50, 20]), 4)
    3.154
    """
    r = check_rate(rate)
    c = as_cashflows(cashflows)
    with np.errstate(over="ignore", invalid="ignore"):
        d = c * np.power(1.0 + r, -np.arange(c.size, dtype=float))
    if not np.all(np.isfinite(d)):
        finite_result(float("inf"), "discounted flows", r)
    return _payback_time(d)


def bcr(rate: float, benefits: Sequence[float], costs: Sequence[float]) -> float:
    """Benefit-cost ratio: present value of benefits / present value of costs.

    Both series start at t = 0 (undiscounted) and costs are given as positive amounts.
    The EU CBA guide accepts a project when B/C > 1 at the social discount rate.

    Raises
    ------
    InvalidCashflowError
        Series of different lengths, or costs whose present value is not positive.

    Examples
    --------
    >>> round(bcr(0.05, [0, 60, 60, 60], [100, 10, 10, 10]), 4)
    1.2842
    """
    r = check_rate(rate)
    b = as_cashflows(benefits, name="benefits")
    c = as_cashflows(costs, name="costs")
    if b.size != c.size:
        raise InvalidCashflowError(
            f"benefits has {b.size} periods and costs {c.size}: give both per period from "
            "t = 0 (pad with zeros)"
        )
    pv_b, pv_c = npv(r, b), npv(r, c)
    if pv_c <= 0:
        raise InvalidCashflowError(
            f"present value of costs is {pv_c:.6g}; B/C needs costs (positive amounts) "
            "with a positive present value"
        )
    return pv_b / pv_c
