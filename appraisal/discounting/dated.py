"""Dated cash flows: XNPV and XIRR, with a choice of day count (Excel's use act/365F).

The first date is t = 0 (undiscounted); flow ``i`` is discounted by
``(1 + rate) ** yf(dates[0], dates[i])`` with ``yf`` the year fraction of
:mod:`appraisal.discounting.daycount`. Exponents are then real numbers, not the integers of
:mod:`appraisal.discounting.roots`, so XIRR has its own root finder here: the same two halves
(``z = 1 / (1 + r)`` for r >= 0, ``z = 1 + r`` for r <= 0), Laguerre's sign rule (the
generalisation of Descartes' to real exponents) to bound the count, a dense scan and
Brent's method for each bracket.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from appraisal.discounting.daycount import as_dates, year_fractions
from appraisal.discounting.root_bounds import sign_changes
from appraisal.discounting.root_isolation import SCAN
from appraisal.discounting.root_report import report
from appraisal.discounting.root_solve import to_rate
from appraisal.discounting.roots import normalise_rows
from appraisal.discounting.validation import as_cashflows, check_rate, finite_result, no_irr_reason
from appraisal.errors import AppraisalError, MultipleIRRError, NoIRRError

__all__ = ["xnpv", "xirr", "real_xirrs"]

_EPS = np.finfo(float).eps


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
        See :mod:`appraisal.discounting.daycount`; Excel uses act/365F.

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
    return finite_result(value, "XNPV", r)


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
        raise NoIRRError(f"No XIRR: {no_irr_reason(c)}.")
    roots = real_xirrs(c, t)
    if len(roots) == 1:
        return roots[0]
    if not roots:
        raise NoIRRError(f"No XIRR: {no_irr_reason(c)}.")
    found = report(roots)
    if len(found.roots) == 1:
        # The others lie below -99 % or above 1,000 % (flows days apart give roots of
        # 1e100 %): no rate an appraisal can use, so the one within the window stands.
        return found.roots[0]
    raise MultipleIRRError(
        f"{found.describe('XIRR')} (XNPV is zero at each). A single rate would mislead; "
        "compare XNPVs at the reference rate instead.",
        found.roots,
        below=found.below,
        above=found.above,
    )


def _brent(f, lo: float, hi: float) -> float:
    """Brent's method on a bracket of z; a bracket it cannot close is a domain error.

    A bracket spanning orders of magnitude (a root next to z = 0) is searched in log z,
    where Brent's method needs tens of steps rather than thousands of halvings.
    """
    from scipy.optimize import brentq

    if lo > 0 and hi > 1e3 * lo:
        u, info = brentq(
            lambda v: f(float(np.exp(v))),
            float(np.log(lo)),
            float(np.log(hi)),
            xtol=1e-15,
            rtol=4 * _EPS,
            maxiter=500,
            full_output=True,
            disp=False,
        )
        root = float(np.exp(u))
    else:
        root, info = brentq(
            f, lo, hi, xtol=1e-300, rtol=4 * _EPS, maxiter=500, full_output=True, disp=False
        )
    if info.converged:
        return float(root)
    raise AppraisalError(
        f"XIRR: the root between z = {lo:.3g} and {hi:.3g} could not be resolved "
        f"({info.flag}); the flows' dates or sizes are too far apart to price"
    )


def _exp_half_roots(c: np.ndarray, e: np.ndarray) -> list[float]:
    """Roots z in (0, 1) of ``sum c[i] z**e[i]`` (``e`` ascending, from 0).

    Laguerre's rule (sign changes of the cumulative sums) bounds the count; a dense scan
    brackets the sign changes and Brent's method solves each bracket. Where the bound
    leaves room for more roots, near-touching minima of ``|F|`` on the scan are added
    when F vanishes there to rounding (double roots).
    """
    s = np.cumsum(c)
    absum = np.sum(np.abs(c))
    tol = 8.0 * c.size * _EPS * absum
    sig = np.where(s > tol, 1, np.where(s < -tol, -1, 0))
    bound = int(sign_changes(sig[None, :])[0]) if np.all(sig != 0) else None
    if bound == 0:
        return []
    grid = np.unique(np.concatenate([np.linspace(0, 1, 4097)[1:-1], SCAN[:-1]]))

    def f(z: float) -> float:
        return float(np.dot(c, z**e))

    with np.errstate(under="ignore"):
        vals = (grid[:, None] ** e[None, :]) @ c
    signs = np.concatenate([[np.sign(c[np.flatnonzero(c)[0]])], np.sign(vals)])
    pts = np.concatenate([[0.0], grid])
    nz = np.flatnonzero(signs)
    k = np.flatnonzero(signs[nz[:-1]] != signs[nz[1:]])
    roots = [pts[i] for i in nz[1:] if vals[i - 1] == 0]
    for j in k:
        lo, hi = pts[nz[j]], pts[nz[j + 1]]
        if lo > 0 and vals[nz[j] - 1] == 0:
            continue
        if lo == 0.0:
            lo = float(np.finfo(float).tiny)
            if f(hi) * f(lo) > 0:
                # F keeps its sign down to the smallest double: it changes only at z = 0
                # (flows days apart: z ** 0.003 stays far from 0), so no finite rate.
                continue
        roots.append(_brent(f, lo, hi))
    if bound is not None and len(roots) >= bound:
        return sorted(roots)
    mag = np.abs(vals)
    scale = (grid[:, None] ** e[None, :]) @ np.abs(c)
    for i in np.flatnonzero((mag[1:-1] < mag[:-2]) & (mag[1:-1] < mag[2:])) + 1:
        from scipy.optimize import minimize_scalar

        res = minimize_scalar(
            lambda z: abs(f(z)),
            bounds=(grid[i - 1], grid[i + 1]),
            method="bounded",
            options={"xatol": 1e-14},
        )
        z = float(res.x)
        if abs(f(z)) <= 64 * c.size * _EPS * float(scale[i]) and all(
            abs(z - w) > 1e-7 for w in roots
        ):
            roots.append(z)
    return sorted(roots)


def real_xirrs(c: np.ndarray, t: np.ndarray) -> list[float]:
    """Every distinct finite root r > -1 of ``sum c[i] (1 + r) ** -t[i]`` (``t >= 0``, years).

    Flows on the same date are merged first. The same two halves as for the
    polynomial case: ``z = 1 / (1 + r)`` for r >= 0 and ``z = 1 + r`` for r <= 0.
    """
    ut, inv = np.unique(t, return_inverse=True)
    cc = np.bincount(inv, weights=c)
    keep = cc != 0
    ut, cc = ut[keep], cc[keep]
    if cc.size < 2:
        return []
    cc = normalise_rows(cc[None, :])[0]
    roots = [0.0] if np.sum(cc) == 0 else []
    big = ut[-1]
    for half, (coef, e) in enumerate(((cc, ut - ut[0]), (cc[::-1], (big - ut)[::-1]))):
        zs = _exp_half_roots(coef, e)
        roots.extend(float(r) for r in to_rate(np.array(zs, dtype=float), half))
    # r = -1 and r = inf are z = 0 reached by underflow, where XNPV is undefined: no root.
    # A rate found from both halves (next to 0 %) is one root.
    out: list[float] = []
    for r in sorted(r for r in roots if -1 < r < np.inf):
        if not out or r - out[-1] > 1e-12 * max(1.0, abs(r)):
            out.append(r)
    return out
