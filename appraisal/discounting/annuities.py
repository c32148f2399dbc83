"""Level payments and annuity factors, with spreadsheet sign conventions (Excel's PMT).

Rates are decimals per period above -1; ``(1 + r)**n - 1`` is taken as
``expm1(n log1p(r))`` so that tiny rates keep full precision.
"""

from __future__ import annotations

import math

from appraisal.discounting.validation import check_number, check_positive, check_rate, finite_result
from appraisal.errors import InvalidParameterError

__all__ = ["pmt", "annuity_factor"]


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
    n = check_positive("nper", nper)
    pv_, fv_ = check_number("pv", pv), check_number("fv", fv)
    if when not in ("end", "begin"):
        raise InvalidParameterError(f"when must be 'end' or 'begin', got {when!r}")
    if r == 0.0:
        return -(pv_ + fv_) / n
    w = 1.0 if when == "begin" else 0.0
    growth = math.expm1(n * math.log1p(r))  # (1 + r)**n - 1, exact for small r
    value = -(pv_ * (growth + 1.0) + fv_) * r / ((1.0 + r * w) * growth)
    return finite_result(value, "PMT", r)


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
    n = check_positive("nper", nper)
    if when not in ("end", "begin"):
        raise InvalidParameterError(f"when must be 'end' or 'begin', got {when!r}")
    if r == 0.0:
        return n
    value = -math.expm1(-n * math.log1p(r)) / r * ((1.0 + r) if when == "begin" else 1.0)
    return finite_result(value, "annuity factor", r)
