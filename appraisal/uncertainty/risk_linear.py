"""Sensitivity of a linear line model in closed form: the batch twin of :mod:`.risk`.

In a :class:`~appraisal.uncertainty.risk.LineModel` where each line has at most one
driver, NPV is linear in each variable taken alone: ``NPV(x) = NPV0 + (x - 1) S`` with
``S`` the present value of the lines the variable drives (its *slope*). Elasticities,
switching values and tornado bars then need no solver: this module gives the results
:func:`~appraisal.uncertainty.risk.elasticities`,
:func:`~appraisal.uncertainty.risk.switching_values` and
:func:`~appraisal.uncertainty.risk.tornado` find numerically, with the same objects,
order and messages, for the whole-pipeline re-appraisal (thousands of projects a
second). Variables are at their base value 1.0.
"""

from __future__ import annotations

from collections.abc import Mapping

from appraisal.errors import InvalidParameterError
from appraisal.uncertainty.risk import Elasticity, SwitchingValue, TornadoBar

__all__ = ["linear_elasticities", "linear_switching_values", "linear_tornado"]


def linear_elasticities(
    npv0: float,
    slopes: Mapping[str, float],
    scale: float,
    *,
    step: float = 0.01,
    critical_threshold: float = 1.0,
) -> list[Elasticity]:
    """:func:`~.risk.elasticities` of a linear model; ``scale`` is ``sum |net flow|``.

    Examples
    --------
    >>> el = linear_elasticities(20.0, {"capex": -100.0, "revenue": 120.0}, 232.0)
    >>> [(e.variable, round(e.elasticity, 9), e.critical) for e in el]
    [('revenue', 6.0, True), ('capex', -5.0, True)]
    """
    if abs(npv0) <= 1e-12 * max(1.0, scale):
        raise InvalidParameterError("NPV at base values is 0, so elasticities are undefined")
    out = []
    for var, slope in slopes.items():
        value = npv0 + step * slope
        e = float((value / npv0 - 1.0) / step)
        out.append(Elasticity(var, e, abs(e) >= critical_threshold, float(value)))
    return sorted(out, key=lambda e: -abs(e.elasticity))


def linear_switching_values(
    npv0: float, slopes: Mapping[str, float], *, max_change: float = 10.0
) -> list[SwitchingValue]:
    """:func:`~.risk.switching_values` of a linear model: ``x = 1 - NPV0 / S``.

    Examples
    --------
    >>> sv = linear_switching_values(20.0, {"capex": -100.0, "revenue": 120.0})
    >>> [(s.variable, round(s.value, 6), round(s.change, 6)) for s in sv]
    [('capex', 1.2, 0.2), ('revenue', 0.833333, -0.166667)]
    """
    out = []
    for var, slope in slopes.items():
        if npv0 == 0:
            out.append(SwitchingValue(var, 1.0, 1.0, 0.0, "NPV is already 0 at base"))
            continue
        change = -npv0 / slope if slope != 0 else float("inf")
        if abs(change) > max_change:
            note = f"NPV keeps its sign for changes within +/-{max_change:.0%}"
            out.append(SwitchingValue(var, 1.0, None, None, note))
        else:
            out.append(SwitchingValue(var, 1.0, float(1.0 + change), float(change), ""))
    return out


def linear_tornado(
    npv0: float, slopes: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]
) -> list[TornadoBar]:
    """:func:`~.risk.tornado` bars of a linear model, widest swing first.

    Examples
    --------
    >>> bars = linear_tornado(20.0, {"capex": -100.0, "revenue": 120.0},
    ...                       {"capex": (0.9, 1.3), "revenue": (0.8, 1.1)})
    >>> [(b.variable, round(b.npv_low, 6), round(b.npv_high, 6)) for b in bars]
    [('capex', 30.0, -10.0), ('revenue', -4.0, 32.0)]
    """
    bars = [
        TornadoBar(v, lo, hi, npv0 + (lo - 1.0) * slopes[v], npv0 + (hi - 1.0) * slopes[v])
        for v, (lo, hi) in ranges.items()
    ]
    return sorted(bars, key=lambda b: -b.swing)
