"""A value-for-money risk register: expected cost, P50 and P90, and optimism bias.

Each risk has a probability of occurring and, if it does, a cost drawn from a
triangular distribution (low, most likely, high). Its expected cost is exact,
``p x (low + most likely + high) / 3``; the P50 and P90 of the total (the cost not
exceeded in 50 % / 90 % of cases) come from a Monte Carlo of the register. Risks the
PPP would transfer and those the public side keeps are totalled apart, the way the
PSC's transferable and retained risk lines are (see :mod:`appraisal.finance.ppp`).

**Optimism bias** (HM Treasury, Supplementary Green Book Guidance, 2003, from Mott
MacDonald's 2002 review, Table 2: checked, see the data README) is an uplift
of the capital cost by project type, from an upper bound at the outline business case
down to a lower bound as risks are managed; the rates are the documented table
``appraisal/data/optimism_bias.csv``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np

from appraisal.errors import InvalidParameterError

__all__ = [
    "OptimismBias",
    "Risk",
    "RiskRegister",
    "optimism_bias",
    "optimism_bias_types",
    "risk_register",
]


@dataclass(frozen=True)
class Risk:
    """One risk: probability, cost if it occurs (triangular), and who bears it."""

    name: str
    probability: float
    low: float
    most_likely: float
    high: float
    transferable: bool = True  # borne by the private partner under the PPP

    def __post_init__(self) -> None:
        p = self.probability
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
            raise InvalidParameterError(
                f"risk {self.name!r}: probability is {p!r}; give a share in [0, 1]"
            )
        costs = (self.low, self.most_likely, self.high)
        if not all(isinstance(c, int | float) and math.isfinite(c) for c in costs):
            raise InvalidParameterError(f"risk {self.name!r}: give finite costs")
        if not self.low <= self.most_likely <= self.high:
            raise InvalidParameterError(
                f"risk {self.name!r}: costs must be low <= most likely <= high, "
                f"got {self.low:g}, {self.most_likely:g}, {self.high:g}"
            )

    @property
    def expected(self) -> float:
        """``p x (low + most likely + high) / 3``: the mean of the triangular cost."""
        return self.probability * (self.low + self.most_likely + self.high) / 3.0


@dataclass(frozen=True)
class RiskRegister:
    expected: float
    transferable_expected: float
    retained_expected: float
    p50: float
    p90: float
    mean_of_draws: float
    draws: int
    seed: int | None


def _draw(risk: Risk, rng: np.random.Generator, draws: int) -> np.ndarray:
    occurs = rng.random(draws) < risk.probability
    if risk.low == risk.high:
        cost = np.full(draws, float(risk.low))
    else:
        cost = rng.triangular(risk.low, risk.most_likely, risk.high, draws)
    return np.where(occurs, cost, 0.0)


def risk_register(
    risks: Sequence[Risk], *, draws: int = 10_000, seed: int | None = None
) -> RiskRegister:
    """Expected cost (exact) and the P50 / P90 of the register's total (Monte Carlo).

    Examples
    --------
    >>> r = risk_register([Risk("ground", 0.3, 100, 100, 100)], draws=1000, seed=1)
    >>> r.expected, r.p50, r.p90
    (30.0, 0.0, 100.0)
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 100:
        raise InvalidParameterError(f"draws is {draws!r}; give a whole number >= 100")
    names = [r.name for r in risks]
    if len(set(names)) != len(names):
        raise InvalidParameterError("each risk of a register needs its own name")
    rng = np.random.default_rng(seed)
    total = np.zeros(draws)
    for risk in risks:
        total += _draw(risk, rng, draws)
    p50, p90 = np.percentile(total, [50, 90]) if risks else (0.0, 0.0)
    return RiskRegister(
        expected=float(sum(r.expected for r in risks)),
        transferable_expected=float(sum(r.expected for r in risks if r.transferable)),
        retained_expected=float(sum(r.expected for r in risks if not r.transferable)),
        p50=float(p50),
        p90=float(p90),
        mean_of_draws=float(total.mean()),
        draws=draws,
        seed=seed,
    )


@dataclass(frozen=True)
class OptimismBias:
    project_type: str
    bound: str
    rate: float
    capex: float
    uplift: float
    source: str


@cache
def _table() -> dict[str, dict[str, str]]:
    path = resources.files("appraisal").joinpath("data/optimism_bias.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["project_type"]: row for row in csv.DictReader(handle)}


def optimism_bias_types() -> tuple[str, ...]:
    return tuple(_table())


def optimism_bias(
    capex: float, project_type: str, bound: Literal["upper", "lower"] = "upper"
) -> OptimismBias:
    """The optimism bias uplift of a capital cost.

    Examples
    --------
    >>> optimism_bias(1000.0, "standard_buildings").uplift
    240.0
    """
    row = _table().get(project_type)
    if row is None:
        raise InvalidParameterError(
            f"no optimism bias for project type {project_type!r}; "
            f"choose one of {', '.join(optimism_bias_types())}"
        )
    if bound not in ("upper", "lower"):
        raise InvalidParameterError(f"bound must be 'upper' or 'lower', not {bound!r}")
    if not math.isfinite(capex) or capex < 0:
        raise InvalidParameterError(f"capex is {capex!r}; give a finite amount >= 0")
    rate = float(row[f"capex_{bound}"])
    return OptimismBias(project_type, bound, rate, float(capex), capex * rate, row["source"])
