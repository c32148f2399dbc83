"""Vectorised NPV and IRR over a table of cash-flow series (rows x periods).

For Monte Carlo draws, sensitivity grids and portfolios: one call instead of a Python
loop, with the same conventions and answers as :mod:`appraisal.discounting.metrics` row by row
(``flows[:, 0]`` at t = 0, undiscounted; rates as decimals above -1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from appraisal.discounting.roots import irr_rows
from appraisal.errors import InvalidCashflowError, InvalidRateError

__all__ = ["npv_many", "irr_many"]

_CHUNK = 8192  # rows per block: the per-period vectors then stay in the CPU cache


def _as_table(flows2d: Any) -> np.ndarray:
    try:
        a = np.asarray(flows2d, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidCashflowError(f"flows must be numbers; got {flows2d!r:.80}") from exc
    if a.ndim != 2:
        raise InvalidCashflowError(
            f"flows must be a 2-D table (rows x periods), got shape {a.shape}; "
            "for one series use appraisal.metrics"
        )
    if a.shape[1] == 0:
        raise InvalidCashflowError("flows has no periods: give at least one column (t = 0)")
    return a


def _check_finite(a: np.ndarray) -> None:
    bad = np.flatnonzero(~np.all(np.isfinite(a), axis=1))
    if bad.size:
        raise InvalidCashflowError(
            f"flows hold NaN or infinite values in rows {bad[:10].tolist()}"
            f"{' and more' if bad.size > 10 else ''}; replace them with numbers (0 for no flow)"
        )


def _as_rates(rates: Any, m: int) -> np.ndarray | float:
    r = np.asarray(rates, dtype=float)
    if r.ndim == 0:
        rs = r[None]
    elif r.shape == (m,):
        rs = r
    else:
        raise InvalidRateError(
            f"rates must be one number or one per row ({m}), got shape {r.shape}"
        )
    bad = np.flatnonzero(~np.isfinite(rs) | (rs <= -1.0))
    if bad.size:
        raise InvalidRateError(
            f"rates at positions {bad[:10].tolist()} are NaN, infinite or at or below "
            "-100 %; rates are decimals above -1 (0.04 is 4 %)"
        )
    return float(r) if r.ndim == 0 else r


def npv_many(rates: Any, flows2d: Any) -> np.ndarray:
    """NPV of each row of ``flows2d`` at one rate or at one rate per row.

    Parameters
    ----------
    rates : float or array_like of shape (rows,)
        Discount rate(s), decimals above -1.
    flows2d : array_like of shape (rows, periods)
        Column 0 is t = 0 (undiscounted).

    Returns
    -------
    numpy.ndarray of shape (rows,)

    Raises
    ------
    InvalidCashflowError
        Not 2-D, no periods, NaN or infinite flows (the rows are named).
    InvalidRateError
        A rate NaN, infinite or <= -1, the wrong number of rates, or an NPV that
        overflows (a rate very close to -100 %).

    Examples
    --------
    >>> npv_many(0.1, [[-100, 121], [-100, 132]]).round(6).tolist()
    [10.0, 20.0]
    >>> npv_many([0.0, 0.1], [[-100, 110], [-100, 110]]).round(6).tolist()
    [10.0, 0.0]
    """
    a = _as_table(flows2d)
    m, n = a.shape
    r = _as_rates(rates, m)
    t = np.arange(n, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        if isinstance(r, float):
            out = a @ np.power(1.0 + r, -t)
        else:
            out = np.empty(m)
            x = 1.0 / (1.0 + r)
            for i in range(0, m, _CHUNK):
                # Horner in x = 1 / (1 + r) over a cache-sized block in column layout.
                at = np.ascontiguousarray(a[i : i + _CHUNK].T)
                xi = x[i : i + _CHUNK]
                acc = at[-1].copy()
                for row in at[-2::-1]:
                    acc *= xi
                    acc += row
                out[i : i + _CHUNK] = acc
    # NaN and inf in the flows reach the result, so checking it costs nothing extra.
    if not np.all(np.isfinite(out)):
        _check_finite(a)
        bad = np.flatnonzero(~np.isfinite(out))
        raise InvalidRateError(
            f"NPV overflows in rows {bad[:10].tolist()}: the rate is too close to -100 % "
            "for this many periods"
        )
    return out


def irr_many(flows2d: Any, *, return_counts: bool = False) -> Any:
    """The IRR of each row, NaN where :func:`appraisal.discounting.metrics.irr` would raise.

    A row gets NaN when it has no real IRR above -100 % (no sign change, all zeros, NPV
    never zero) **and when it has several**: :func:`~appraisal.metrics.irr` refuses to
    pick one (it raises ``MultipleIRRError``), so ``irr_many`` does not pick one either;
    call :func:`~appraisal.metrics.irr_all` on those rows to see every root, or ask for
    ``return_counts``. Wherever ``irr`` returns, ``irr_many`` returns the same value:
    both run the same algorithm (:mod:`appraisal.discounting.roots`).

    Vectorised, block by block: sign changes of cumulative sums prove which rows have
    exactly one root and on which side of 0 %, and Halley's iteration, started from its
    own step at 0 %, converges on all of them together. Rows the bounds leave open (sums
    within rounding of zero, several possible roots) are settled with exact signs and
    Bernstein-basis subdivision, also vectorised; only rows with double or clustered
    roots are solved one by one. A row's answer never depends on the other rows.

    Parameters
    ----------
    flows2d : array_like of shape (rows, periods)
        Column 0 is t = 0.
    return_counts : bool, default False, keyword-only
        Also return the number of IRRs per row: 0 (none), 1, 2 (two or more), or -1
        (a row of zeros, for which every rate is a root).

    Returns
    -------
    numpy.ndarray of shape (rows,), or (rates, counts) with ``return_counts``

    Raises
    ------
    InvalidCashflowError
        Not 2-D, no periods, NaN or infinite flows.

    Examples
    --------
    >>> irr_many([[-100, 110, 0], [-100, 50, 60], [100, 10, 0], [-100, 230, -132]]).round(4)
    array([0.1   , 0.0639,    nan,    nan])
    >>> irr_many([[-100, 110, 0], [100, 10, 0], [-100, 230, -132]], return_counts=True)[1]
    array([1, 0, 2])
    """
    a = _as_table(flows2d)
    # One cheap reduction: a non-finite total means a NaN or inf somewhere (or overflow).
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.sum(a))
    if not np.isfinite(total):
        _check_finite(a)
    if a.shape[0] == 0:
        empty = np.empty(0)
        return (empty, np.empty(0, dtype=np.int64)) if return_counts else empty
    rates, counts = irr_rows(a)
    return (rates, counts) if return_counts else rates
