"""Sensitivity analysis: elasticities, critical variables, switching values, tornado.

A *flow model* maps values of named variables, one array of ``n`` values each, to an
``(n, years)`` array of cash flows; every test here evaluates all its cases in one
call and prices them with :func:`appraisal.discounting.batch.npv_many`. :class:`LineModel` is the
usual one: the project's signed lines (capex, opex, revenue, benefits, CO2...) each
scaled by the variables that drive it, a variable's base value being 1.0 (so 1.2
reads "20 % above the estimate").

As the EU CBA Guide (2014, section 2.10) defines them:

* the **elasticity** of NPV to a variable is the % change of NPV for a 1 % change of
  the variable; a variable is **critical** when that moves NPV by 1 % or more;
* the **switching value** is the value of the variable at which NPV is zero;
* **tornado** data rank the variables by the NPV swing between their low and high.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from appraisal.discounting.batch import npv_many
from appraisal.errors import InvalidCashflowError, InvalidParameterError

__all__ = [
    "FlowModel",
    "LineModel",
    "Elasticity",
    "SwitchingValue",
    "TornadoBar",
    "model_npv",
    "elasticities",
    "switching_values",
    "tornado",
]

FlowModel = Callable[[Mapping[str, np.ndarray]], np.ndarray]


class LineModel:
    """Cash flows as signed lines, each scaled by the product of its drivers' values.

    Parameters
    ----------
    lines : Mapping[str, array_like]
        Line name -> signed yearly flows at base values (costs negative).
    drivers : Mapping[str, sequence of str]
        Variable name -> names of the lines it multiplies. A variable missing from
        the values passed to the model is at its base, 1.0.

    Examples
    --------
    >>> m = LineModel({"capex": [-100.0, 0.0], "revenue": [0.0, 120.0]},
    ...               {"cost": ["capex"], "demand": ["revenue"]})
    >>> m({"cost": np.array([1.0, 1.1])}).tolist()
    [[-100.0, 120.0], [-110.00000000000001, 120.0]]
    """

    def __init__(
        self,
        lines: Mapping[str, Sequence[float] | np.ndarray],
        drivers: Mapping[str, Sequence[str]],
    ):
        if not lines:
            raise InvalidCashflowError("a line model needs at least one line of flows")
        arrays = {name: np.asarray(v, dtype=float) for name, v in lines.items()}
        lengths = {a.shape for a in arrays.values()}
        if len(lengths) != 1 or len(next(iter(lengths))) != 1:
            raise InvalidCashflowError(f"every line must be 1-D of one length; got {lengths}")
        if not all(np.all(np.isfinite(a)) for a in arrays.values()):
            raise InvalidCashflowError("a line holds NaN or infinite values")
        for var, names in drivers.items():
            unknown = set(names) - set(arrays)
            if unknown:
                raise InvalidParameterError(
                    f"variable {var!r} drives unknown line(s) {sorted(unknown)}; "
                    f"lines are {sorted(arrays)}"
                )
        self.variables = tuple(drivers)
        # Lines driven by the same set of variables are summed once, so a call is one
        # (draws x groups) @ (groups x years) product.
        groups: dict[tuple[str, ...], np.ndarray] = {}
        for name, arr in arrays.items():
            key = tuple(v for v in self.variables if name in drivers[v])
            groups[key] = groups.get(key, 0.0) + arr
        self._keys = list(groups)
        self._matrix = np.vstack([groups[k] for k in self._keys])

    @property
    def years(self) -> int:
        return self._matrix.shape[1]

    def base_values(self) -> dict[str, float]:
        """Every variable at 1.0."""
        return dict.fromkeys(self.variables, 1.0)

    def __call__(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        unknown = set(values) - set(self.variables)
        if unknown:
            raise InvalidParameterError(
                f"unknown variable(s) {sorted(unknown)}; the model has {list(self.variables)}"
            )
        arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in values.items()}
        n = max((a.size for a in arrays.values()), default=1)
        scale = np.ones((n, len(self._keys)))
        for j, key in enumerate(self._keys):
            for var in key:
                if var in arrays:
                    scale[:, j] *= arrays[var]
        return scale @ self._matrix


def _check(base: Mapping[str, float], rate: float) -> None:
    if not base:
        raise InvalidParameterError("give at least one variable with its base value")
    if not np.isfinite(rate) or rate <= -1:
        raise InvalidParameterError(f"rate is {rate!r}; a discount rate must be > -1")


def model_npv(model: FlowModel, values: Mapping[str, np.ndarray], rate: float) -> np.ndarray:
    """NPV of the model's flows for each row of values.

    Examples
    --------
    >>> m = LineModel({"net": [-100.0, 121.0]}, {"x": ["net"]})
    >>> model_npv(m, {"x": np.array([1.0, 2.0])}, 0.1).round(9).tolist()
    [10.0, 20.0]
    """
    flows = np.asarray(model(values), dtype=float)
    if flows.ndim != 2:
        raise InvalidCashflowError("a flow model must return a (cases x years) array")
    return np.asarray(npv_many(rate, flows), dtype=float)


def _cases(base: Mapping[str, float], changes: list[tuple[str, float]]) -> dict[str, np.ndarray]:
    """Base values repeated per case, with one variable changed per case."""
    names = list(base)
    table = np.tile(np.array([base[v] for v in names], dtype=float), (len(changes), 1))
    for row, (var, value) in enumerate(changes):
        table[row, names.index(var)] = value
    return {v: table[:, i] for i, v in enumerate(names)}


@dataclass(frozen=True)
class Elasticity:
    variable: str
    elasticity: float
    critical: bool
    npv_changed: float


def elasticities(
    model: FlowModel,
    base: Mapping[str, float],
    rate: float,
    *,
    step: float = 0.01,
    critical_threshold: float = 1.0,
) -> tuple[float, list[Elasticity]]:
    """NPV at base and each variable's elasticity, largest first.

    Returns
    -------
    base_npv : float
    elasticities : list of Elasticity
        ``(NPV(x (1 + step)) / NPV(x) - 1) / step``; ``critical`` when its absolute
        value is at least ``critical_threshold``.

    Raises
    ------
    InvalidParameterError
        NPV at base is zero (no % change of it exists), or a bad step or rate.

    Examples
    --------
    >>> m = LineModel({"capex": [-100.0, 0.0], "revenue": [0.0, 132.0]},
    ...               {"capex": ["capex"], "revenue": ["revenue"]})
    >>> npv0, el = elasticities(m, m.base_values(), 0.1)
    >>> round(npv0, 6), [(e.variable, round(e.elasticity, 6), e.critical) for e in el]
    (20.0, [('revenue', 6.0, True), ('capex', -5.0, True)])
    """
    _check(base, rate)
    if not np.isfinite(step) or step == 0:
        raise InvalidParameterError(f"step is {step!r}; give a small non-zero change, e.g. 0.01")
    names = list(base)
    cases = [(names[0], base[names[0]])] + [(v, base[v] * (1 + step)) for v in names]
    npvs = model_npv(model, _cases(base, cases), rate)
    npv0 = float(npvs[0])
    scale = float(np.abs(model(_cases(base, cases[:1]))).sum())
    if abs(npv0) <= 1e-12 * max(1.0, scale):  # rounding noise of a zero NPV
        raise InvalidParameterError("NPV at base values is 0, so elasticities are undefined")
    out = []
    for var, value in zip(names, npvs[1:], strict=True):
        e = float((value / npv0 - 1.0) / step)
        out.append(Elasticity(var, e, abs(e) >= critical_threshold, float(value)))
    return npv0, sorted(out, key=lambda e: -abs(e.elasticity))


@dataclass(frozen=True)
class SwitchingValue:
    """Value of a variable at which NPV = 0 (None when not found, with the reason)."""

    variable: str
    base: float
    value: float | None
    change: float | None
    note: str


def switching_values(
    model: FlowModel,
    base: Mapping[str, float],
    rate: float,
    *,
    max_change: float = 10.0,
) -> list[SwitchingValue]:
    """For each variable alone, the value that brings NPV to zero.

    Searched between ``base x (1 - max_change)`` and ``base x (1 + max_change)``
    (Brent's method); ``change`` is the relative change from base (-0.25 = 25 % lower).

    Examples
    --------
    >>> m = LineModel({"capex": [-100.0, 0.0], "revenue": [0.0, 132.0]},
    ...               {"capex": ["capex"], "revenue": ["revenue"]})
    >>> sv = switching_values(m, m.base_values(), 0.1)
    >>> [(s.variable, round(s.value, 6), round(s.change, 6)) for s in sv]
    [('capex', 1.2, 0.2), ('revenue', 0.833333, -0.166667)]
    """
    _check(base, rate)
    out = []
    for var, x0 in base.items():

        def f(x: float, var: str = var) -> float:
            return float(model_npv(model, _cases(base, [(var, x)]), rate)[0])

        if x0 == 0:
            out.append(SwitchingValue(var, x0, None, None, "base value is 0: no relative change"))
            continue
        f0 = f(x0)
        if f0 == 0:
            out.append(SwitchingValue(var, x0, x0, 0.0, "NPV is already 0 at base"))
            continue
        # Widen a window around the base step by step, so the root nearest the base is
        # bracketed first, on whichever side it lies.
        root = None
        prev, d, limit = 0.0, 0.01 * abs(x0), max_change * abs(x0)
        while root is None and prev < limit:
            for sign in (1.0, -1.0):
                near, far = x0 + sign * prev, x0 + sign * d
                f_far = f(far)
                if f_far == 0:
                    root = far
                elif np.sign(f_far) != np.sign(f0):
                    a, b = sorted((near, far))
                    root = brentq(f, a, b, xtol=1e-12 * abs(x0), rtol=1e-12)
                if root is not None:
                    break
            prev, d = d, min(2 * d, limit)
        if root is None:
            note = f"NPV keeps its sign for changes within +/-{max_change:.0%}"
            out.append(SwitchingValue(var, x0, None, None, note))
        else:
            out.append(SwitchingValue(var, x0, float(root), float(root / x0 - 1.0), ""))
    return out


@dataclass(frozen=True)
class TornadoBar:
    variable: str
    low: float
    high: float
    npv_low: float
    npv_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)


def tornado(
    model: FlowModel,
    base: Mapping[str, float],
    ranges: Mapping[str, tuple[float, float]],
    rate: float,
) -> tuple[float, list[TornadoBar]]:
    """NPV at the low and high value of each variable, widest swing first.

    Examples
    --------
    >>> m = LineModel({"capex": [-100.0, 0.0], "revenue": [0.0, 132.0]},
    ...               {"capex": ["capex"], "revenue": ["revenue"]})
    >>> npv0, bars = tornado(m, m.base_values(),
    ...                      {"capex": (0.9, 1.3), "revenue": (0.8, 1.1)}, 0.1)
    >>> [(b.variable, round(b.npv_low, 6), round(b.npv_high, 6)) for b in bars]
    [('capex', 30.0, -10.0), ('revenue', -4.0, 32.0)]
    """
    _check(base, rate)
    unknown = set(ranges) - set(base)
    if unknown:
        raise InvalidParameterError(f"ranges for unknown variable(s) {sorted(unknown)}")
    names = list(ranges)
    first = next(iter(base))
    cases = [(first, base[first])]
    for v in names:
        lo, hi = ranges[v]
        cases += [(v, lo), (v, hi)]
    npvs = model_npv(model, _cases(base, cases), rate)
    bars = [
        TornadoBar(v, ranges[v][0], ranges[v][1], float(npvs[1 + 2 * i]), float(npvs[2 + 2 * i]))
        for i, v in enumerate(names)
    ]
    return float(npvs[0]), sorted(bars, key=lambda b: -b.swing)
