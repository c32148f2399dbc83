"""Checking the inputs of the appraisal metrics: flows, rates and plain numbers.

Every check raises an :class:`~appraisal.errors.AppraisalError` subclass that names the
problem and says what to give instead, so no metric ever returns a silent NaN.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from appraisal.errors import InvalidCashflowError, InvalidParameterError, InvalidRateError

__all__ = [
    "MAX_AMOUNT",
    "check_amounts",
    "as_cashflows",
    "check_rate",
    "finite_result",
    "check_number",
    "check_positive",
    "no_irr_reason",
]


#: The largest yearly amount a project line may hold (10^15 in its currency): beyond it
#: a figure is a unit mistake, and sums of such figures overflow to infinity.
MAX_AMOUNT = 1e15


def check_amounts(values: np.ndarray, name: str) -> np.ndarray:
    """Refuse amounts beyond :data:`MAX_AMOUNT` (a unit mistake, never a project).

    >>> check_amounts(np.array([1e300]), "capex")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    appraisal.errors.InvalidCashflowError: capex holds 1e+300, beyond 1e+15 a year: ...
    """
    if values.size and float(np.max(np.abs(values))) > MAX_AMOUNT:
        biggest = float(np.max(np.abs(values)))
        raise InvalidCashflowError(
            f"{name} holds {biggest:.3g}, beyond {MAX_AMOUNT:.0e} a year: check the unit "
            "(an amount, not thousands of millions)"
        )
    return values


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


def finite_result(value: float, what: str, rate: float) -> float:
    """Return ``value`` as float, or raise when a computation at ``rate`` overflowed.

    Raises
    ------
    InvalidRateError
        ``value`` is NaN or infinite: the rate is too close to -100 % for the horizon.

    Examples
    --------
    >>> finite_result(12.5, "NPV", 0.04)
    12.5
    """
    if not math.isfinite(value):
        raise InvalidRateError(
            f"{what} overflows at rate {rate}: a rate this close to -100 % over this many "
            "periods has no representable value; use a rate further from -1"
        )
    return float(value)


def check_number(name: str, value: Any) -> float:
    """Validate a finite number named ``name``; return it as float.

    Raises
    ------
    InvalidParameterError
        Not a number, NaN or infinite.

    Examples
    --------
    >>> check_number("pv", "1000")
    1000.0
    """
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"{name} must be a number, got {value!r:.80}") from exc
    if not math.isfinite(v):
        raise InvalidParameterError(f"{name} is {v}; give a finite number")
    return v


def check_positive(name: str, value: Any) -> float:
    """Validate a finite number above 0 named ``name``; return it as float.

    Examples
    --------
    >>> check_positive("nper", 12)
    12.0
    """
    v = check_number(name, value)
    if v <= 0:
        raise InvalidParameterError(f"{name} must be > 0, got {v}")
    return v


def no_irr_reason(c: np.ndarray) -> str:
    """Why flows have no IRR, in words, for :class:`~appraisal.errors.NoIRRError`.

    Examples
    --------
    >>> no_irr_reason(np.array([100.0, 50.0]))[:34]
    'the flows never change sign (all p'
    """
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
