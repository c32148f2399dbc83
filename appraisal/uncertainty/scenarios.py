"""Scenario analysis and carbon price variants of an appraisal.

A **scenario** is a named set of multipliers on the uncertain variables (each
variable scales the lines it drives, as in sensitivity and Monte Carlo): the EU CBA
Guide (2014, section 2.10) asks for pessimistic and optimistic cases beside the base.
Each scenario gives the FNPV/C, the ENPV and the B/C ratio, computed as the base
analyses compute them (B/C: every positive line amount over every negative one).

A **carbon price variant** is the ENPV with another shadow carbon price path of the
parameter set's family (e.g. the World Bank's low and high paths), all else equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.economic import EconomicInputs, EconomicResult, economic_analysis
from appraisal.analysis.parameter_types import CarbonPricePath
from appraisal.analysis.parameters import ParameterSet
from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidParameterError

__all__ = [
    "ILLUSTRATIVE_SCENARIOS",
    "Scenario",
    "ScenarioResult",
    "carbon_variants",
    "scenario_analysis",
]


@dataclass(frozen=True)
class Scenario:
    """A named case: variable -> multiplier (a variable left out stays at 1)."""

    name: str
    multipliers: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for var, m in self.multipliers.items():
            if isinstance(m, bool) or not isinstance(m, int | float) or not np.isfinite(m) or m < 0:
                raise InvalidParameterError(
                    f"scenario {self.name!r}: multiplier of {var!r} is {m!r}; "
                    "give a finite number >= 0 (1 = the base)"
                )


#: Pessimistic, base and optimistic cases used when a project gives none. The
#: multipliers are illustrative (cost overruns and demand shortfalls larger than the
#: savings and surpluses, as in the default uncertainty ranges), not from a source.
ILLUSTRATIVE_SCENARIOS = (
    Scenario("pessimistic", {"capex": 1.2, "opex": 1.1, "revenue": 0.9, "benefits": 0.8}),
    Scenario("base", {}),
    Scenario("optimistic", {"capex": 0.95, "opex": 0.95, "revenue": 1.05, "benefits": 1.1}),
)


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    multipliers: Mapping[str, float]
    fnpv: float
    enpv: float
    bc_ratio: float  # inf when the scenario leaves no economic cost


def _scaled(
    lines: Mapping[str, np.ndarray], drivers: Mapping[str, Sequence[str]], scenario: Scenario
) -> np.ndarray:
    out = []
    for name, values in lines.items():
        factor = 1.0
        for var, names in drivers.items():
            if name in names:
                factor *= scenario.multipliers.get(var, 1.0)
        out.append(np.asarray(values, dtype=float) * factor)
    return np.vstack(out)


def scenario_analysis(
    financial_lines: Mapping[str, np.ndarray],
    economic_lines: Mapping[str, np.ndarray],
    drivers: Mapping[str, Sequence[str]],
    scenarios: Sequence[Scenario],
    *,
    financial_rate: float,
    social_rate: float,
) -> list[ScenarioResult]:
    """FNPV, ENPV and B/C of each scenario.

    Parameters
    ----------
    financial_lines, economic_lines : Mapping[str, array]
        Signed yearly lines (costs negative), e.g. ``YearlyFlows.signed_lines()`` and
        ``EconomicResult.lines``.
    drivers : Mapping[str, sequence of str]
        Variable -> the line names it multiplies.
    scenarios : sequence of Scenario
        A multiplier on a variable that is not in ``drivers`` is refused.

    Examples
    --------
    >>> fin = {"capex": np.array([-100.0, 0.0]), "revenue": np.array([0.0, 121.0])}
    >>> r = scenario_analysis(fin, fin, {"capex": ["capex"]}, [Scenario("dear", {"capex": 1.1})],
    ...                       financial_rate=0.1, social_rate=0.1)
    >>> abs(round(r[0].fnpv, 6)), round(r[0].bc_ratio, 4)
    (0.0, 1.0)
    """
    out = []
    for scenario in scenarios:
        unknown = set(scenario.multipliers) - set(drivers)
        if unknown:
            raise InvalidParameterError(
                f"scenario {scenario.name!r} scales {sorted(unknown)}, which drive no line "
                f"of this project; use {sorted(drivers)}"
            )
        fin = _scaled(financial_lines, drivers, scenario)
        eco = _scaled(economic_lines, drivers, scenario)
        pv_b = npv(social_rate, np.clip(eco, 0.0, None).sum(axis=0))
        pv_c = npv(social_rate, np.clip(-eco, 0.0, None).sum(axis=0))
        out.append(
            ScenarioResult(
                name=scenario.name,
                multipliers=dict(scenario.multipliers),
                fnpv=npv(financial_rate, fin.sum(axis=0)),
                enpv=npv(social_rate, eco.sum(axis=0)),
                bc_ratio=float(pv_b / pv_c) if pv_c > 0 else float("inf"),
            )
        )
    return out


def carbon_variants(
    flows: YearlyFlows,
    params: ParameterSet,
    economic: EconomicInputs,
    paths: Mapping[str, CarbonPricePath],
) -> dict[str, EconomicResult]:
    """The economic analysis under each carbon price path (label -> result)."""
    return {
        label: economic_analysis(
            flows,
            params.derive(
                f"{params.name}, {label} carbon price",
                params.version,
                source=path.source,
                carbon_price=path,
            ),
            economic,
        )
        for label, path in paths.items()
    }
