"""The number behind each fit component, on scalars or arrays alike.

One definition serves both :func:`matching.scoring.score_pair` (one pair, with reasons
in words) and :func:`matching.scoring_batch.score_pairs` (many pairs at once), so the
two cannot drift apart. Exchange rates convert tickets to the project's currency.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from matching.errors import InvalidProfileError

__all__ = [
    "TRACK_RECORD_FULL",
    "ticket_fit",
    "risk_fit",
    "track_record_fit",
    "fx_factor",
    "check_fx",
]

#: Completed comparable projects that earn the full track-record score.
TRACK_RECORD_FULL = 5


def ticket_fit(capex, low, high):
    """How well a ticket range [low, high] suits a capex (arrays or scalars).

    1 inside the range; below it, capex / low (the project is small for the
    partner); above it, high / capex (the partner covers only part of it).

    Examples
    --------
    >>> float(ticket_fit(8.5, 2.0, 20.0)), float(ticket_fit(1.0, 2.0, 20.0))
    (1.0, 0.5)
    >>> float(ticket_fit(40.0, 2.0, 20.0))
    0.5
    """
    capex, low, high = (np.asarray(v, dtype=float) for v in (capex, low, high))
    # Overflow of a huge ratio is harmless: it only occurs on the discarded branch.
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        below = np.where(low > 0, capex / np.where(low > 0, low, 1.0), 1.0)
        above = np.where(capex > 0, high / np.where(capex > 0, capex, 1.0), 1.0)
    return np.clip(np.where(capex < low, below, np.where(capex > high, above, 1.0)), 0.0, 1.0)


def risk_fit(appetite, risk):
    """1 when the appetite (0 low, 1 medium, 2 high) covers the risk; -0.5 per step short.

    Examples
    --------
    >>> float(risk_fit(1, 1)), float(risk_fit(0, 1)), float(risk_fit(0, 2))
    (1.0, 0.5, 0.0)
    """
    short = np.asarray(risk, dtype=float) - np.asarray(appetite, dtype=float)
    return np.clip(1.0 - 0.5 * np.maximum(short, 0.0), 0.0, 1.0)


def track_record_fit(count):
    """Completed comparable projects, full marks from :data:`TRACK_RECORD_FULL`.

    Examples
    --------
    >>> float(track_record_fit(2)), float(track_record_fit(9))
    (0.4, 1.0)
    """
    return np.minimum(np.asarray(count, dtype=float) / TRACK_RECORD_FULL, 1.0)


def fx_factor(from_currency: str, to_currency: str, fx: Mapping[str, float] | None):
    """Multiplier from one currency to another, or None when no rate is known.

    ``fx`` gives the value of one unit of each currency in a common unit.

    Examples
    --------
    >>> fx_factor("USD", "EUR", {"USD": 0.9, "EUR": 1.0})
    0.9
    >>> fx_factor("USD", "EUR", None) is None
    True
    """
    if from_currency == to_currency:
        return 1.0
    if fx is None or from_currency not in fx or to_currency not in fx:
        return None
    return fx[from_currency] / fx[to_currency]


def check_fx(fx: Mapping[str, float] | None) -> None:
    """Raise :class:`InvalidProfileError` unless every exchange rate is finite and > 0.

    Examples
    --------
    >>> check_fx({"EUR": 1.0, "USD": 0.92})
    """
    for currency, rate in (fx or {}).items():
        if not math.isfinite(rate) or rate <= 0:
            raise InvalidProfileError(
                f"exchange rate of {currency} is {rate}; give a finite rate > 0"
            )
