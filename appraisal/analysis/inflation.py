"""Nominal runs: an inflation rate per line and the Fisher conversion of discount rates.

The EU CBA Guide (2014, section 2.7) and Commission Delegated Regulation (EU) No
480/2014 (Article 19) ask that prices and discount rate agree: constant prices with a
real rate, current prices with a nominal one. The nominal rate is the real rate with
inflation compounded on it (the Fisher relation, exact form):

    1 + i = (1 + r)(1 + pi).

Lines do not all inflate alike (construction costs, wages and tariffs follow their
own indices): an :class:`Inflation` holds a general rate, used for the discount rate,
and optional rates for the capex (with replacements and the residual value), opex,
revenue and benefit lines; :func:`inflate_lines` lays real lines out in current prices,
each by its own index from the price base year. The flows themselves are inflated and
deflated by :mod:`appraisal.analysis.nominal`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np

from appraisal.errors import InvalidParameterError, InvalidRateError

__all__ = ["LINE_GROUPS", "Inflation", "fisher_nominal", "fisher_real", "inflate_lines"]

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

    def line_index(self, kind: str, years: np.ndarray, base_year: int) -> np.ndarray:
        """The price index of a financial line kind (``"fixed_opex"``...) in each year."""
        return self.index(_GROUP_OF[kind], years, base_year)


def inflate_lines(
    lines: Mapping[str, np.ndarray], inflation: Inflation, years: np.ndarray, base_year: int
) -> dict[str, np.ndarray]:
    """Each financial line times its group's price index (constant to current prices)."""
    return {kind: arr * inflation.line_index(kind, years, base_year) for kind, arr in lines.items()}
