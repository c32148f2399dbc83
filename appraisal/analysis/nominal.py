"""Nominal runs: an inflation rate per line and the Fisher conversion of discount rates.

The EU CBA Guide (2014, section 2.7) and Commission Delegated Regulation (EU) No
480/2014 (Article 19) ask that prices and discount rate agree: constant prices with a
real rate, current prices with a nominal one. The nominal rate is the real rate with
inflation compounded on it (the Fisher relation, exact form):

    1 + i = (1 + r)(1 + pi).

Lines do not all inflate alike (construction costs, wages and tariffs follow their
own indices): an :class:`Inflation` holds a general rate, used for the discount rate,
and optional rates for the capex (with replacements and the residual value), opex,
revenue and benefit lines. :func:`inflate` lays real lines out in current prices and
:func:`deflate` brings current-price lines back to constant prices, each line by its
own index from the price base year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np

from appraisal.errors import InvalidParameterError, InvalidRateError

if TYPE_CHECKING:  # pragma: no cover - typing only (cashflows imports this module)
    from appraisal.analysis.cashflows import YearlyFlows
    from appraisal.analysis.economic import EconomicInputs

__all__ = [
    "LINE_GROUPS",
    "Inflation",
    "deflate",
    "deflate_economic",
    "discount_rate",
    "fisher_nominal",
    "fisher_real",
    "inflate",
    "inflate_lines",
]

#: Each group of lines with its own inflation rate, and the line kinds in it.
LINE_GROUPS: dict[str, tuple[str, ...]] = {
    "capex": ("capex", "replacement", "residual"),
    "opex": ("fixed_opex", "variable_opex"),
    "revenue": ("revenue",),
}
_GROUP_OF = {kind: group for group, kinds in LINE_GROUPS.items() for kind in kinds}


def _check(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRateError(f"{name} inflation is {value!r}; give a finite rate > -100 %")
    if value <= -1:
        raise InvalidRateError(f"{name} inflation is {value!r}; it must be above -100 %")
    return float(value)


def fisher_nominal(real: float, inflation: float) -> float:
    """The nominal rate of a real rate under ``inflation``: ``(1 + r)(1 + pi) - 1``.

    Examples
    --------
    >>> round(fisher_nominal(0.04, 0.02), 6)
    0.0608
    """
    return (1.0 + real) * (1.0 + _check(inflation, "general")) - 1.0


def fisher_real(nominal: float, inflation: float) -> float:
    """The real rate of a nominal rate: ``(1 + i) / (1 + pi) - 1``.

    Examples
    --------
    >>> round(fisher_real(0.0608, 0.02), 6)
    0.04
    """
    return (1.0 + nominal) / (1.0 + _check(inflation, "general")) - 1.0


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


@dataclass(frozen=True)
class Inflation:
    """Inflation a year: a general rate and, optionally, one per group of lines.

    Attributes
    ----------
    general : float
        General inflation (e.g. the HICP), converting the discount rates; the rate of
        any group left None.
    capex, opex, revenue, benefits : float, optional
        The rate of the capex (with replacements and residual value), operating cost,
        revenue, and economic benefit and externality lines.
    """

    general: float
    capex: float | None = None
    opex: float | None = None
    revenue: float | None = None
    benefits: float | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                object.__setattr__(self, f.name, _check(value, f.name))

    @classmethod
    def of(cls, general: float, per_line: Mapping[str, float] | None = None) -> Inflation:
        """From a general rate and a mapping of group -> rate (unknown groups refused)."""
        per_line = dict(per_line or {})
        unknown = set(per_line) - {"capex", "opex", "revenue", "benefits"}
        if unknown:
            raise InvalidParameterError(
                f"no inflation line named {sorted(unknown)}; use capex, opex, revenue or benefits"
            )
        return cls(general, **per_line)

    def rate(self, group: str) -> float:
        """The rate of a group (``"capex"``, ``"opex"``, ``"revenue"``, ``"benefits"``)."""
        own = getattr(self, group)
        return self.general if own is None else own

    def index(self, group: str, years: np.ndarray, base_year: int) -> np.ndarray:
        """The price index of a group in each year, 1 in the price base year."""
        return (1.0 + self.rate(group)) ** (np.asarray(years) - base_year)


def inflate_lines(
    lines: Mapping[str, np.ndarray], inflation: Inflation, years: np.ndarray, base_year: int
) -> dict[str, np.ndarray]:
    """Each financial line times its group's price index (constant to current prices)."""
    return {
        kind: arr * inflation.index(_GROUP_OF[kind], years, base_year)
        for kind, arr in lines.items()
    }


def _lines(flows: YearlyFlows) -> dict[str, np.ndarray]:
    return {kind: getattr(flows, kind) for kind in _GROUP_OF}


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
        kind: arr / inflation.index(_GROUP_OF[kind], flows.years, base)
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
