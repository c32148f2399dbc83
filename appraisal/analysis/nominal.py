"""Yearly flows and economic inputs between constant and current prices, and the
discount rate that agrees with them (see :mod:`appraisal.analysis.inflation`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.economic import EconomicInputs
from appraisal.analysis.inflation import LINE_GROUPS, Inflation, fisher_nominal, inflate_lines
from appraisal.errors import InvalidParameterError

__all__ = ["deflate", "deflate_economic", "discount_rate", "inflate"]

_KINDS = tuple(kind for kinds in LINE_GROUPS.values() for kind in kinds)


def discount_rate(flows: YearlyFlows, real_rate: float, inflation: float | None) -> float:
    """The rate to discount ``flows`` at: the real rate for constant prices, its Fisher
    nominal rate ``(1 + r)(1 + pi) - 1`` for current prices.

    Raises
    ------
    InvalidParameterError
        Current-price flows without the general inflation.
    """
    if not flows.nominal:
        return real_rate
    if inflation is None:
        raise InvalidParameterError(
            "the flows are in current prices: give the general inflation so the real "
            "discount rate can be made nominal, (1 + r)(1 + inflation) - 1"
        )
    return fisher_nominal(real_rate, inflation)


def _lines(flows: YearlyFlows) -> dict[str, np.ndarray]:
    return {kind: getattr(flows, kind) for kind in _KINDS}


def inflate(flows: YearlyFlows, inflation: Inflation) -> YearlyFlows:
    """Constant-price flows in current prices, each line at its own rate.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2024, 3, [100.0], fixed_opex=10.0, other_revenue=20.0))
    >>> g = inflate(f, Inflation(0.02, opex=0.05))
    >>> g.fixed_opex.round(4).tolist(), g.revenue.round(4).tolist(), g.nominal
    ([0.0, 10.5, 11.025], [0.0, 20.4, 20.808], True)
    """
    if flows.nominal:
        raise InvalidParameterError("the flows are already in current prices")
    lines = inflate_lines(_lines(flows), inflation, flows.years, flows.price_base_year)
    return replace(flows, nominal=True, **lines)


def deflate(flows: YearlyFlows, inflation: Inflation) -> YearlyFlows:
    """Current-price flows in constant prices of their price base year, each line at its
    own rate (the inverse of :func:`inflate`)."""
    if not flows.nominal:
        raise InvalidParameterError("the flows are already in constant prices")
    base = flows.price_base_year
    lines = {
        kind: arr / inflation.line_index(kind, flows.years, base)
        for kind, arr in _lines(flows).items()
    }
    return replace(flows, nominal=False, **lines)


def deflate_economic(
    inputs: EconomicInputs, inflation: Inflation, years: np.ndarray, base_year: int
) -> EconomicInputs:
    """Benefits and externalities given in current prices, in constant prices (at the
    benefits rate). CO2 is in tonnes and stays as it is."""
    index = inflation.index("benefits", years, base_year)

    def real(series: Mapping) -> dict:
        return {name: np.asarray(v, dtype=float) / index for name, v in series.items()}

    return replace(inputs, benefits=real(inputs.benefits), externalities=real(inputs.externalities))
