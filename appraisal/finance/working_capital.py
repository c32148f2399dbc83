"""Working capital in the financial analysis.

The EU CBA Guide (2014, section 2.5) counts the change in net working capital among
the investment costs: the cash a project ties up in receivables and stock, less what
its suppliers finance through payables. With days of revenue outstanding (receivables)
and days of operating cost (stock, payables),

    WC_t = revenue_t x receivable_days / 365 + opex_t x (stock_days - payable_days) / 365,

the yearly investment is ``WC_t - WC_{t-1}`` and the last year's working capital is
recovered at the end of the period, so the line adds up to zero undiscounted: what it
costs is the time value of the money tied up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.errors import InvalidParameterError

__all__ = ["WorkingCapital", "working_capital"]

DAYS_A_YEAR = 365.0


@dataclass(frozen=True)
class WorkingCapital:
    level: np.ndarray  # net working capital held in each year
    investment: np.ndarray  # a cost: the change in it, with the recovery in the last year


def _days(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameterError(f"{name} is {value!r}; give a number of days")
    if not math.isfinite(value) or not 0 <= value <= DAYS_A_YEAR:
        raise InvalidParameterError(f"{name} is {value!r}; give days between 0 and 365")
    return float(value)


def working_capital(
    flows: YearlyFlows,
    *,
    receivable_days: float = 0.0,
    stock_days: float = 0.0,
    payable_days: float = 0.0,
) -> WorkingCapital:
    """The net working capital a project holds each year, and the yearly investment in it.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=36.5, other_revenue=73.0))
    >>> w = working_capital(f, receivable_days=30, payable_days=20)
    >>> w.level.round(2).tolist(), w.investment.round(2).tolist()
    ([0.0, 4.0, 4.0, 4.0], [0.0, 4.0, 0.0, -4.0])
    """
    recv = _days(receivable_days, "receivable_days")
    stock = _days(stock_days, "stock_days")
    pay = _days(payable_days, "payable_days")
    level = (flows.revenue * recv + flows.opex * (stock - pay)) / DAYS_A_YEAR
    investment = np.diff(level, prepend=0.0)
    investment[-1] -= level[-1]  # recovered at the end of the period
    return WorkingCapital(level=level, investment=investment)
