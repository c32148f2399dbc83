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

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from appraisal.daycount import as_dates, year_fractions
from appraisal.errors import (
    InvalidCashflowError,
    InvalidParameterError,
    InvalidRateError,
    MultipleIRRError,
    NoIRRError,
)
from appraisal.roots import irr_rows, real_irrs, real_xirrs

__all__ = [
    "as_cashflows",
    "check_rate",
    "npv",
    "irr",
    "irr_all",
    "mirr",
    "xnpv",
    "xirr",
    "pmt",
    "annuity_factor",
    "payback",
    "discounted_payback",
    "bcr",
]


def as_cashflows(values: Any, *, name: str = "cashflows") -> np.ndarray:
    """Validate one series of flows and return it as a 1-D float array.

    Raises
    ------
    InvalidCashflowError
        When ``values`` is empty, not one-dimensional, not numeric, NaN or infinite.

    Examples
    --------
    >>> as_cashflows([-100, 60, 60]).tolist()
    [-100.0, 60.0, 60.0]
    """
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidCashflowError(f"{name} must be numbers; got {values!r:.80}") from exc
    if arr.ndim != 1:
        raise InvalidCashflowError(
            f"{name} must be one series (1-D), got shape {arr.shape}; "
            "for a table of series use appraisal.batch"
        )
    if arr.size == 0:
        raise InvalidCashflowError(f"{name} is empty: give at least one flow (t = 0 first)")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise InvalidCashflowError(
            f"{name} holds NaN or infinite values at positions {bad[:10].tolist()}; "
            "replace them with numbers (0 for no flow)"
        )
    return arr


def check_rate(rate: Any, *, name: str = "rate") -> float:
    """Validate a rate: a finite number above -1 (-100 %); return it as float.

    Examples
    --------
    >>> check_rate(0.04)
    0.04
    """
    try:
        r = float(rate)
    except (TypeError, ValueError) as exc:
        raise InvalidRateError(f"{name} must be a number, got {rate!r:.80}") from exc
    if not math.isfinite(r):
        raise InvalidRateError(f"{name} is {r}; give a finite decimal rate such as 0.04")
    if r <= -1.0:
        raise InvalidRateError(
            f"{name} = {r} is at or below -100 %, where discounting is undefined; "
            "rates are decimals (0.04 is 4 %)"
        )
    return r


def _finite(value: float, what: str, rate: float) -> float:
    if not math.isfinite(value):
        raise InvalidRateError(
            f"{what} overflows at rate {rate}: a rate this close to -100 % over this many "
            "periods has no representable value; use a rate further from -1"
        )
    return float(value)


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
    return _finite(value, "NPV", r)


def _no_irr_reason(c: np.ndarray) -> str:
    if not np.any(c):
        return "every flow is zero, so NPV is 0 at every rate and the IRR is undefined"
    if np.all(c >= 0) or np.all(c <= 0):
        side = "positive" if np.all(c >= 0) else "negative"
        return (
            f"the flows never change sign (all {side} or zero), so NPV is {side} at every "
            "rate above -100 %; an IRR needs at least one outflow and one inflow"
        )
    return (
        "the flows change sign but NPV never reaches zero at any rate above -100 % "
        f"(NPV at 0 % is {float(np.sum(c)):.6g}); judge the project by its NPV"
    )


def irr_all(cashflows: Sequence[float]) -> list[float]:
    """Every real internal rate of return above -100 %, ascending.

    The IRRs are the roots of the NPV polynomial in ``1 / (1 + r)``. Sign-change bounds
    (Descartes' rule on the cumulative flows, Norstrom's criterion) prove how many roots
    each side of 0 % can hold; one-root sides are solved by safeguarded Newton, others
    scanned and, where needed, checked with companion-matrix eigenvalues. Each root is
    polished until NPV vanishes to rounding. Works for long horizons (hundreds of
    periods), rates close to -100 % and any scale of flows.

    Parameters
    ----------
    cashflows : sequence of float
        Flows at t = 0, 1, 2, ...

    Returns
    -------
    list of float
        Empty when no real IRR exists.

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
    c = as_cashflows(cashflows)
    if not np.any(c):
        raise NoIRRError(f"No IRR: {_no_irr_reason(c)}.")
    rate, count = irr_rows(c[None, :])
    if count[0] == 1:
        return [float(rate[0])]
    if count[0] == 0:
        return []
    return real_irrs(c)


def irr(cashflows: Sequence[float]) -> float:
    """The internal rate of return: the rate above -100 % at which NPV is 0.

    Unlike a spreadsheet, never guesses: when several rates make NPV zero it raises
    :class:`MultipleIRRError` listing them (the EU CBA guide warns that the IRR then
    misleads; use the NPV at the reference rate instead), and when none does it raises
    :class:`NoIRRError` saying why.

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
        Several real IRRs; ``.roots`` lists them ascending.

    Examples
    --------
    Excel's IRR example (five years of income after a 70,000 outlay):

    >>> round(irr([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]), 4)
    0.0866
    >>> irr([-100, 230, -132])
    Traceback (most recent call last):
    ...
    appraisal.errors.MultipleIRRError: 2 IRRs: 10 %, 20 % (NPV is zero at each). ...
    """
    c = as_cashflows(cashflows)
    if not np.any(c):
        raise NoIRRError(f"No IRR: {_no_irr_reason(c)}.")
    rate, count = irr_rows(c[None, :])
    if count[0] == 1:
        return float(rate[0])
    if count[0] == 0:
        raise NoIRRError(f"No IRR: {_no_irr_reason(c)}.")
    roots = real_irrs(c)
    shown = ", ".join(f"{r:.6g}" if abs(r) < 1e-4 else f"{100 * r:.6g} %" for r in roots)
    raise MultipleIRRError(
        f"{len(roots)} IRRs: {shown} (NPV is zero at each). A single IRR would mislead; "
        "compare NPVs at the reference discount rate, or use mirr().",
        roots,
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
    return _finite(value, "MIRR", max(fr, rr, key=abs))


def _dated(cashflows: Sequence[float], dates: Sequence[Any], day_count: str):
    c = as_cashflows(cashflows)
    t = year_fractions(as_dates(dates, n=c.size), day_count=day_count)
    return c, t


def xnpv(
    rate: float, cashflows: Sequence[float], dates: Sequence[Any], *, day_count: str = "act/365F"
) -> float:
    """NPV of dated flows: ``sum c[i] / (1 + rate) ** yf(dates[0], dates[i])``, as Excel's XNPV.

    The first date is t = 0 (undiscounted) and no date may precede it.

    Parameters
    ----------
    rate : float
        Annual rate, a decimal above -1.
    cashflows : sequence of float
    dates : sequence of date-like
        One per flow (``datetime.date``, ISO string or ``numpy.datetime64``).
    day_count : {"act/365F", "act/360", "30/360", "act/act"}
        See :mod:`appraisal.daycount`; Excel uses act/365F.

    Returns
    -------
    float

    Raises
    ------
    InvalidCashflowError, InvalidRateError, InvalidDatesError, UnknownDayCountError

    Examples
    --------
    Excel's XNPV example:

    >>> flows = [-10_000, 2_750, 4_250, 3_250, 2_750]
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xnpv(0.09, flows, dates), 2)
    2086.65
    """
    r = check_rate(rate)
    c, t = _dated(cashflows, dates, day_count)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(c @ np.power(1.0 + r, -t))
    return _finite(value, "XNPV", r)


def xirr(cashflows: Sequence[float], dates: Sequence[Any], *, day_count: str = "act/365F") -> float:
    """The annual rate at which :func:`xnpv` is 0, as Excel's XIRR (but never a guess).

    Flows on the same date are added up. Laguerre's sign rule bounds how many rates can
    make XNPV zero each side of 0 %; every sign change on a dense scan is solved by
    Brent's method. Raises like :func:`irr` when there is no rate or several.

    Parameters
    ----------
    cashflows : sequence of float
    dates : sequence of date-like
    day_count : {"act/365F", "act/360", "30/360", "act/act"}

    Returns
    -------
    float

    Raises
    ------
    InvalidCashflowError, InvalidDatesError, UnknownDayCountError
    NoIRRError, MultipleIRRError

    Examples
    --------
    Excel's XIRR example (Excel shows 0.373362535, 37.34 %, after stopping its
    iteration at 0.000001 %):

    >>> flows = [-10_000, 2_750, 4_250, 3_250, 2_750]
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xirr(flows, dates), 8)
    0.37336253
    """
    c, t = _dated(cashflows, dates, day_count)
    if not np.any(c):
        raise NoIRRError(f"No XIRR: {_no_irr_reason(c)}.")
    roots = real_xirrs(c, t)
    if len(roots) == 1:
        return roots[0]
    if not roots:
        raise NoIRRError(f"No XIRR: {_no_irr_reason(c)}.")
    shown = ", ".join(f"{100 * r:.6g} %" for r in roots)
    raise MultipleIRRError(
        f"{len(roots)} XIRRs: {shown} (XNPV is zero at each). A single rate would mislead; "
        "compare XNPVs at the reference rate instead.",
        roots,
    )


def pmt(rate: float, nper: float, pv: float, fv: float = 0.0, *, when: str = "end") -> float:
    """Level payment per period, spreadsheet signs (Excel's PMT, numpy-financial's pmt).

    Solves ``pv (1 + r)**n + pmt (1 + r w) ((1 + r)**n - 1) / r + fv = 0`` with
    ``w = 1`` for payments at the beginning of each period, 0 at the end. Money received
    is positive and paid negative, so borrowing (``pv > 0``) gives a negative payment.

    Parameters
    ----------
    rate : float
        Rate per period (a decimal above -1); 0 is allowed.
    nper : float
        Number of periods, > 0.
    pv : float
        Present value (amount borrowed or invested).
    fv : float, default 0
        Value wanted after the last payment.
    when : {"end", "begin"}, keyword-only
        Payments at the end (ordinary annuity) or beginning (annuity due) of periods.

    Returns
    -------
    float

    Raises
    ------
    InvalidRateError, InvalidParameterError

    Examples
    --------
    Excel's PMT examples: 10,000 at 8 % a year over 10 months:

    >>> round(pmt(0.08 / 12, 10, 10_000), 2)
    -1037.03
    >>> round(pmt(0.08 / 12, 10, 10_000, when="begin"), 2)
    -1030.16
    """
    r = check_rate(rate)
    n = _positive("nper", nper)
    pv_, fv_ = _number("pv", pv), _number("fv", fv)
    if when not in ("end", "begin"):
        raise InvalidParameterError(f"when must be 'end' or 'begin', got {when!r}")
    if r == 0.0:
        return -(pv_ + fv_) / n
    w = 1.0 if when == "begin" else 0.0
    growth = math.expm1(n * math.log1p(r))  # (1 + r)**n - 1, exact for small r
    value = -(pv_ * (growth + 1.0) + fv_) * r / ((1.0 + r * w) * growth)
    return _finite(value, "PMT", r)


def annuity_factor(rate: float, nper: float, *, when: str = "end") -> float:
    """Present value of 1 paid each period for ``nper`` periods: ``(1 - (1 + r)**-n) / r``.

    ``nper`` when ``rate`` is 0; times ``1 + rate`` for payments at the beginning.
    ``pmt(r, n, pv) == -pv / annuity_factor(r, n)``.

    Examples
    --------
    >>> round(annuity_factor(0.04, 25), 4)
    15.6221
    >>> annuity_factor(0.0, 10)
    10.0
    """
    r = check_rate(rate)
    n = _positive("nper", nper)
    if when not in ("end", "begin"):
        raise InvalidParameterError(f"when must be 'end' or 'begin', got {when!r}")
    if r == 0.0:
        return n
    value = -math.expm1(-n * math.log1p(r)) / r * ((1.0 + r) if when == "begin" else 1.0)
    return _finite(value, "annuity factor", r)


def _number(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"{name} must be a number, got {value!r:.80}") from exc
    if not math.isfinite(v):
        raise InvalidParameterError(f"{name} is {v}; give a finite number")
    return v


def _positive(name: str, value: Any) -> float:
    v = _number(name, value)
    if v <= 0:
        raise InvalidParameterError(f"{name} must be > 0, got {v}")
    return v


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
        _finite(math.inf, "discounted flows", r)
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
