"""Residual value by the present value of net flows, and the flat-rate net revenue.

The EU CBA Guide (2014, section 2.8.2) prefers, for revenue-generating projects, the
residual value as the **present value of the net flows after the reference period**:
the revenues less operating costs and replacements that the assets still earn in the
remaining years of their economic life, discounted to the last year of the period,

    RV_T = sum_{k=1..L} (R - C)_{T+k} / (1 + r)^k.

The straight-line undepreciated value (:func:`appraisal.analysis.cashflows.build_flows`)
stays the default; this is the option beside it.

The **flat-rate net revenue** (Article 61(3)(a) of Regulation (EU) No 1303/2013, Annex V)
replaces the discounted net revenue of a funding-gap calculation: the eligible
expenditure is reduced by a sector's percentage, so the decision amount is
``eligible cost x (1 - flat rate)``. The rates are the documented table
``appraisal/data/flat_rate_net_revenue.csv`` (see ``appraisal/data/README.md``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.discounting.annuities import annuity_factor
from appraisal.errors import InvalidCashflowError, InvalidParameterError

__all__ = [
    "FlatRate",
    "FlatRateGap",
    "NetFlowResidual",
    "flat_rate",
    "flat_rate_gap",
    "flat_rate_sectors",
    "pv_of_flows_after",
    "residual_from_net_flows",
    "with_residual",
]


def pv_of_flows_after(net_flows, rate: float) -> float:
    """Present value at the end of the reference period of the net flows of the years after it.

    ``net_flows[0]`` is the first year after the period (discounted one year).

    Examples
    --------
    >>> round(pv_of_flows_after([100.0] * 10, 0.04), 2)  # 100 x annuity factor 8.1109
    811.09
    """
    flows = np.asarray(net_flows, dtype=float)
    if flows.ndim != 1 or not np.all(np.isfinite(flows)):
        raise InvalidCashflowError("net flows after the period must be finite, one per year")
    if not math.isfinite(rate) or rate <= -1:
        raise InvalidParameterError(f"discount rate is {rate!r}; give a finite rate > -1")
    return float(np.sum(flows / (1.0 + rate) ** np.arange(1, flows.size + 1)))


@dataclass(frozen=True)
class NetFlowResidual:
    """The residual value by the PV of net flows, with the terms shown to a user."""

    yearly_net_flow: float  # last year's revenue - opex, less the yearly replacements
    remaining_life: int  # years of economic life after the reference period
    rate: float
    value: float  # floored at 0
    note: str


def residual_from_net_flows(
    flows: YearlyFlows, rate: float, remaining_life: int
) -> NetFlowResidual:
    """The residual value as the PV of the last year's net flow over the remaining life.

    The net flow of the years after the period is the last year's revenue less its
    operating cost, less the replacements of the operating years spread evenly (a
    replacement falls in some years only, and the last year may hold one or none). A
    negative value is floored at 0: an asset that costs more than it earns can be
    closed, it is not a liability the project hands on.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2025, 5, [300.0], fixed_opex=20.0, other_revenue=120.0))
    >>> r = residual_from_net_flows(f, 0.04, 10)
    >>> r.yearly_net_flow, round(r.value, 2)
    (100.0, 811.09)
    """
    if isinstance(remaining_life, bool) or not isinstance(remaining_life, int):
        raise InvalidParameterError(
            f"remaining life is {remaining_life!r}; give a whole number of years"
        )
    if remaining_life <= 0:
        raise InvalidParameterError(
            f"remaining life is {remaining_life} years; give the years of economic life "
            "left after the reference period (> 0), or use the straight-line method"
        )
    operating = (flows.revenue > 0) | (flows.opex > 0)
    years_operating = max(1, int(operating.sum()))
    yearly = float(flows.revenue[-1] - flows.opex[-1] - flows.replacement.sum() / years_operating)
    value = yearly * annuity_factor(rate, remaining_life)
    note = ""
    if value < 0:
        note = "net flows after the period are negative: residual value set to 0"
        value = 0.0
    return NetFlowResidual(yearly, remaining_life, float(rate), float(value), note)


def with_residual(flows: YearlyFlows, value: float) -> YearlyFlows:
    """The flows with their residual line replaced by ``value`` in the last year."""
    residual = np.zeros(flows.years.size)
    residual[-1] = value
    lines = {
        kind: getattr(flows, kind)
        for kind in ("capex", "replacement", "fixed_opex", "variable_opex", "revenue")
    }
    return YearlyFlows(
        start_year=flows.start_year,
        currency=flows.currency,
        price_base_year=flows.price_base_year,
        nominal=flows.nominal,
        residual=residual,
        **lines,
    )


@dataclass(frozen=True)
class FlatRate:
    sector: str
    rate: float
    source: str


@cache
def _table() -> dict[str, FlatRate]:
    path = resources.files("appraisal").joinpath("data/flat_rate_net_revenue.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["sector"]: FlatRate(row["sector"], float(row["flat_rate"]), row["source"])
            for row in csv.DictReader(handle)
        }


def flat_rate_sectors() -> tuple[str, ...]:
    """The sectors with a flat-rate net revenue percentage."""
    return tuple(_table())


def flat_rate(sector: str) -> FlatRate:
    """The flat-rate net revenue percentage of a sector (Regulation 1303/2013, Annex V).

    Examples
    --------
    >>> flat_rate("water").rate
    0.25
    """
    try:
        return _table()[sector]
    except KeyError:
        raise InvalidParameterError(
            f"no flat-rate net revenue percentage for sector {sector!r}; "
            f"choose one of {', '.join(flat_rate_sectors())}"
        ) from None


@dataclass(frozen=True)
class FlatRateGap:
    """The decision amount with the flat-rate net revenue in place of the DNR."""

    sector: str
    flat_rate: float
    source: str
    eligible_cost: float
    decision_amount: float
    cofinancing_rate: float
    grant: float


def flat_rate_gap(sector: str, eligible_cost: float, cofinancing_rate: float) -> FlatRateGap:
    """Eligible cost reduced by the sector's flat rate, and the grant on it.

    Examples
    --------
    >>> g = flat_rate_gap("road", 1000.0, 0.85)
    >>> round(g.decision_amount, 2), round(g.grant, 2)
    (700.0, 595.0)
    """
    if not math.isfinite(eligible_cost) or eligible_cost < 0:
        raise InvalidCashflowError(f"eligible cost is {eligible_cost!r}; give an amount >= 0")
    row = flat_rate(sector)
    decision = eligible_cost * (1.0 - row.rate)
    return FlatRateGap(
        sector=row.sector,
        flat_rate=row.rate,
        source=row.source,
        eligible_cost=float(eligible_cost),
        decision_amount=decision,
        cofinancing_rate=float(cofinancing_rate),
        grant=decision * cofinancing_rate,
    )
