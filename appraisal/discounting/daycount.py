"""Day-count conventions: the year fraction between two dates, as used by xnpv and xirr.

Supported (names are case-insensitive):

- ``"act/365F"`` (default; Excel's XNPV/XIRR): actual days / 365.
- ``"act/360"``: actual days / 360.
- ``"30/360"``: the ISDA 30/360 "bond basis": day 31 becomes 30, and day 31 of the end
  date becomes 30 only when the start day is 30 or 31;
  ``(360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)) / 360``.
- ``"act/act"``: ISDA actual/actual: days falling in leap years / 366 plus days in other
  years / 365.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from appraisal.errors import InvalidDatesError, UnknownDayCountError

__all__ = ["DAY_COUNTS", "as_dates", "year_fractions"]

DAY_COUNTS = ("act/365F", "act/360", "30/360", "act/act")


def as_dates(dates: Sequence[Any], *, n: int | None = None) -> np.ndarray:
    """Dates (``datetime.date``, ISO strings, numpy datetime64) as ``datetime64[D]``.

    Raises
    ------
    InvalidDatesError
        Not dates, missing (NaT), or not ``n`` of them when ``n`` is given.

    Examples
    --------
    >>> as_dates(["2024-01-31", "2024-03-01"]).tolist()
    [datetime.date(2024, 1, 31), datetime.date(2024, 3, 1)]
    """
    try:
        d = np.asarray(dates, dtype="datetime64[D]")
    except (TypeError, ValueError) as exc:
        raise InvalidDatesError(
            f"dates must be dates or ISO strings (YYYY-MM-DD); got {dates!r:.80}"
        ) from exc
    if d.ndim != 1 or d.size == 0:
        raise InvalidDatesError(f"dates must be a non-empty list, got shape {d.shape}")
    if np.any(np.isnat(d)):
        raise InvalidDatesError("dates hold a missing value (NaT); give every flow a date")
    if n is not None and d.size != n:
        raise InvalidDatesError(
            f"{d.size} dates for {n} cash flows: give exactly one date per flow"
        )
    return d


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _days_in_leap_years_before(d: np.ndarray) -> np.ndarray:
    """Days from 1970-01-01 to ``d`` that fall in leap years (negative before 1970)."""
    year, _, _ = _ymd(d)
    start = d.astype("datetime64[Y]").astype("datetime64[D]")
    into = (d - start).astype(np.int64)

    # Leap years in [1970, year): count(y % 4 == 0) - count(y % 100 == 0) + count(% 400).
    def leaps_before(y: np.ndarray) -> np.ndarray:
        y = y - 1
        return y // 4 - y // 100 + y // 400 - (1969 // 4 - 1969 // 100 + 1969 // 400)

    is_leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return 366 * leaps_before(year) + np.where(is_leap, into, 0)


def year_fractions(dates: Sequence[Any], *, day_count: str = "act/365F") -> np.ndarray:
    """Year fraction from the first date to each date under ``day_count``.

    Parameters
    ----------
    dates : sequence of date-like
        The first date is the reference (t = 0); no date may precede it (as in Excel).
    day_count : {"act/365F", "act/360", "30/360", "act/act"}

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    InvalidDatesError
        A date before the first one, or dates that are not dates.
    UnknownDayCountError
        A convention not in :data:`DAY_COUNTS`.

    Examples
    --------
    >>> year_fractions(["2023-01-01", "2024-01-01", "2025-01-01"]).round(6).tolist()
    [0.0, 1.0, 2.00274]
    >>> year_fractions(["2023-01-31", "2023-03-31"], day_count="30/360").tolist()
    [0.0, 0.16666666666666666]
    >>> year_fractions(["2023-07-01", "2024-07-01"], day_count="act/act").round(6).tolist()
    [0.0, 1.001377]
    """
    key = {c.lower(): c for c in DAY_COUNTS}.get(str(day_count).lower())
    if key is None:
        raise UnknownDayCountError(
            f"unknown day count {day_count!r}; use one of {', '.join(DAY_COUNTS)}"
        )
    d = as_dates(dates)
    days = (d - d[0]).astype(np.int64)
    early = np.flatnonzero(days < 0)
    if early.size:
        raise InvalidDatesError(
            f"dates at positions {early[:10].tolist()} precede the first date {d[0]}; "
            "put the earliest flow first (it is t = 0)"
        )
    if key == "act/365F":
        return days / 365.0
    if key == "act/360":
        return days / 360.0
    if key == "30/360":
        y, m, dd = _ymd(d)
        d1 = np.minimum(dd[0], 30)
        d2 = np.where((dd == 31) & (d1 >= 30), 30, dd)
        return (360 * (y - y[0]) + 30 * (m - m[0]) + (d2 - d1)) / 360.0
    leap = _days_in_leap_years_before(d)
    leap_days = leap - leap[0]
    return leap_days / 366.0 + (days - leap_days) / 365.0
