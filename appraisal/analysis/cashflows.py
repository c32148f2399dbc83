"""Yearly project cash flows built from project inputs.

A project is described by a :class:`ProjectInputs` (capex schedule, fixed and
variable opex, revenues with escalation, replacements, residual value, horizon,
currency and price base) and turned by :func:`build_flows` into a
:class:`YearlyFlows`: one numpy array per line kind, each a positive amount for that
year, with the currency and price base the figures are in. Signs are applied only
when lines are combined (:meth:`YearlyFlows.signed_lines`, :attr:`YearlyFlows.net`),
so a table shown to a user reads as costs and revenues, not as minus signs.

Flows are in real terms (constant prices of ``price_base_year``) unless
``prices="nominal"``, which inflates every line from the price base year at
``inflation`` a year, or at its own rate given in ``line_inflation`` (see
:mod:`appraisal.analysis.inflation`). The EU CBA Guide works in real terms with a real discount
rate; do not mix the two.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from appraisal.analysis.inflation import Inflation, inflate_lines
from appraisal.discounting.validation import check_amounts
from appraisal.errors import InvalidCashflowError, InvalidParameterError, InvalidRateError

__all__ = [
    "COST_LINES",
    "LINE_KINDS",
    "Replacement",
    "ProjectInputs",
    "YearlyFlows",
    "build_flows",
    "incremental",
]

#: Every line kind, in display order.
LINE_KINDS = ("capex", "replacement", "fixed_opex", "variable_opex", "revenue", "residual")
#: Line kinds that are costs (subtracted in the net flow).
COST_LINES = frozenset({"capex", "replacement", "fixed_opex", "variable_opex"})


@dataclass(frozen=True)
class Replacement:
    """An asset replaced every ``lifetime`` years of operation at ``cost`` (price base)."""

    name: str
    cost: float
    lifetime: int


@dataclass(frozen=True)
class ProjectInputs:
    """What a project costs and earns, before it is laid out year by year.

    Attributes
    ----------
    start_year : int
        Calendar year of period 0 (the first year, not discounted).
    horizon : int
        Years in the reference period, construction included.
    capex : sequence of float
        Initial investment per year from ``start_year``.
    currency : str
    price_base_year : int, optional
        Year of the constant prices the inputs are in (default ``start_year``).
    operation_start : int, optional
        Period in which operation starts (default: the year after the last capex).
    fixed_opex : float
        Operating cost a year while operating.
    variable_opex : float
        Operating cost per unit of ``volume``.
    volume : float or sequence of float
        Units a year while operating (a scalar grows at ``volume_growth``), or one
        value per period of the horizon.
    tariff : float
        Revenue per unit of volume.
    other_revenue : float
        Revenue a year while operating, independent of volume.
    revenue_growth, opex_growth, volume_growth : float
        Real escalation a year from the first operating year.
    replacements : sequence of Replacement
    residual_value : float, optional
        Value of the assets in the last year. If None, the straight-line
        undepreciated value of the replacements, plus that of the capex when
        ``asset_life`` is given.
    asset_life : int, optional
        Economic life of the initial investment, for the residual value.
    inflation : float
        General inflation a year, used only for ``prices="nominal"``.
    line_inflation : Mapping[str, float], optional
        Inflation of the ``"capex"`` (with replacements and residual value), ``"opex"``
        and ``"revenue"`` lines where they differ from ``inflation``.
    """

    start_year: int
    horizon: int
    capex: Sequence[float]
    currency: str = "EUR"
    price_base_year: int | None = None
    operation_start: int | None = None
    fixed_opex: float = 0.0
    variable_opex: float = 0.0
    volume: float | Sequence[float] = 0.0
    tariff: float = 0.0
    other_revenue: float = 0.0
    revenue_growth: float = 0.0
    opex_growth: float = 0.0
    volume_growth: float = 0.0
    replacements: Sequence[Replacement] = ()
    residual_value: float | None = None
    asset_life: int | None = None
    inflation: float = 0.0
    line_inflation: Mapping[str, float] | None = None


@dataclass(frozen=True)
class YearlyFlows:
    """Project flows per line kind, one array per line (positive amounts).

    Attributes
    ----------
    start_year : int
    capex, replacement, fixed_opex, variable_opex, revenue, residual : numpy.ndarray
        One value per year, all of the same length.
    currency : str
    price_base_year : int
    nominal : bool
        True when the amounts include inflation (current prices).
    """

    start_year: int
    capex: np.ndarray
    replacement: np.ndarray
    fixed_opex: np.ndarray
    variable_opex: np.ndarray
    revenue: np.ndarray
    residual: np.ndarray
    currency: str = "EUR"
    price_base_year: int = 0
    nominal: bool = False
    _length: int = field(init=False, repr=False, default=0)

    def __post_init__(self) -> None:
        lengths = set()
        for kind in LINE_KINDS:
            arr = np.asarray(getattr(self, kind), dtype=float)
            if arr.ndim != 1:
                raise InvalidCashflowError(f"line {kind!r} must be one value per year (1-D)")
            if not np.all(np.isfinite(arr)):
                raise InvalidCashflowError(f"line {kind!r} holds NaN or infinite values")
            check_amounts(arr, f"line {kind!r}")
            arr.setflags(write=False)
            object.__setattr__(self, kind, arr)
            lengths.add(arr.size)
        if len(lengths) != 1 or 0 in lengths:
            raise InvalidCashflowError(
                f"all lines need the same, non-zero number of years; got lengths {sorted(lengths)}"
            )
        object.__setattr__(self, "_length", lengths.pop())

    @property
    def years(self) -> np.ndarray:
        """Calendar year of each period."""
        return np.arange(self.start_year, self.start_year + self._length)

    @property
    def opex(self) -> np.ndarray:
        """Fixed plus variable operating cost."""
        return self.fixed_opex + self.variable_opex

    def signed_lines(self) -> dict[str, np.ndarray]:
        """Each line with its sign in the net flow (costs negative)."""
        return {k: (-1.0 if k in COST_LINES else 1.0) * getattr(self, k) for k in LINE_KINDS}

    @property
    def net(self) -> np.ndarray:
        """Revenue + residual - capex - replacement - opex: the FNPV/C flow."""
        return np.sum(list(self.signed_lines().values()), axis=0)

    @property
    def price_basis(self) -> str:
        """E.g. ``"EUR, constant 2024 prices"``."""
        kind = "current prices from" if self.nominal else "constant"
        return f"{self.currency}, {kind} {self.price_base_year} prices"

    def to_frame(self) -> pd.DataFrame:
        """A table indexed by calendar year, one column per line kind plus ``net``."""
        data = {kind: getattr(self, kind) for kind in LINE_KINDS} | {"net": self.net}
        frame = pd.DataFrame(data, index=pd.Index(self.years, name="year"))
        frame.attrs["currency"] = self.currency
        frame.attrs["price_basis"] = self.price_basis
        return frame


def _rate(value: float, name: str) -> float:
    if not math.isfinite(value) or value <= -1:
        raise InvalidRateError(f"{name} is {value!r}; a growth rate must be finite and > -1")
    return float(value)


def _amount(value: float, name: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise InvalidCashflowError(f"{name} is {value!r}; give a finite amount >= 0")
    check_amounts(np.array([value], dtype=float), name)
    return float(value)


def _volume(inputs: ProjectInputs, op: np.ndarray, k: np.ndarray, n: int) -> np.ndarray:
    if isinstance(inputs.volume, int | float):
        growth = _rate(inputs.volume_growth, "volume_growth")
        return np.where(op, _amount(inputs.volume, "volume") * (1 + growth) ** k, 0.0)
    vol = np.asarray(inputs.volume, dtype=float)
    if vol.shape != (n,):
        raise InvalidCashflowError(
            f"volume has {vol.size} values but the horizon is {n} years; give one per year"
        )
    if not np.all(np.isfinite(vol)) or np.any(vol < 0):
        raise InvalidCashflowError("volume must be finite and >= 0 in every year")
    return np.where(op, vol, 0.0)


def _check_inputs(inputs: ProjectInputs) -> tuple[np.ndarray, int]:
    n = inputs.horizon
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise InvalidParameterError(f"horizon is {n!r}; give a whole number of years > 0")
    capex = np.asarray(inputs.capex, dtype=float)
    if capex.ndim != 1 or capex.size == 0:
        raise InvalidCashflowError("capex is empty; give the investment of each construction year")
    if capex.size > n:
        raise InvalidCashflowError(
            f"capex spans {capex.size} years but the horizon is only {n}; lengthen the horizon"
        )
    if not np.all(np.isfinite(capex)) or np.any(capex < 0):
        raise InvalidCashflowError("capex holds NaN, infinite or negative amounts")
    check_amounts(capex, "capex")
    start = capex.size if inputs.operation_start is None else inputs.operation_start
    if not 0 <= start < n:
        raise InvalidParameterError(
            f"operation_start is {start}; it must be a period within the horizon (0-{n - 1})"
        )
    return capex, start


def build_flows(
    inputs: ProjectInputs, *, prices: Literal["real", "nominal"] = "real"
) -> YearlyFlows:
    """Lay a project's inputs out year by year.

    Parameters
    ----------
    inputs : ProjectInputs
    prices : {"real", "nominal"}
        Constant prices of the price base year, or current prices inflated from it.

    Returns
    -------
    YearlyFlows

    Raises
    ------
    InvalidCashflowError, InvalidParameterError, InvalidRateError
        Empty or non-finite amounts, a capex longer than the horizon, bad rates.

    Examples
    --------
    >>> p = ProjectInputs(start_year=2025, horizon=5, capex=[100.0], fixed_opex=10.0,
    ...                   other_revenue=40.0, residual_value=20.0)
    >>> f = build_flows(p)
    >>> f.net.tolist()
    [-100.0, 30.0, 30.0, 30.0, 50.0]
    >>> f.price_basis
    'EUR, constant 2025 prices'
    >>> build_flows(p, prices="nominal").revenue.round(2).tolist()  # no inflation given
    [0.0, 40.0, 40.0, 40.0, 40.0]
    """
    capex_in, start = _check_inputs(inputs)
    n = inputs.horizon
    t = np.arange(n)
    op = t >= start
    k = np.where(op, t - start, 0)  # years since operation started
    capex = np.zeros(n)
    capex[: capex_in.size] = capex_in

    opex_esc = (1 + _rate(inputs.opex_growth, "opex_growth")) ** k
    rev_esc = (1 + _rate(inputs.revenue_growth, "revenue_growth")) ** k
    volume = _volume(inputs, op, k, n)
    fixed_opex = np.where(op, _amount(inputs.fixed_opex, "fixed_opex") * opex_esc, 0.0)
    variable_opex = _amount(inputs.variable_opex, "variable_opex") * volume * opex_esc
    revenue = _amount(inputs.tariff, "tariff") * volume * rev_esc
    revenue += np.where(op, _amount(inputs.other_revenue, "other_revenue") * rev_esc, 0.0)

    replacement = np.zeros(n)
    residual_amount = 0.0
    for rep in inputs.replacements:
        if rep.lifetime <= 0:
            raise InvalidParameterError(f"replacement {rep.name!r} needs a lifetime > 0 years")
        cost = _amount(rep.cost, f"replacement {rep.name!r} cost")
        for period in range(start + rep.lifetime, n, rep.lifetime):
            replacement[period] += cost
            residual_amount += cost * max(0, rep.lifetime - (n - period)) / rep.lifetime
    if inputs.residual_value is not None:
        residual_amount = _amount(inputs.residual_value, "residual_value")
    elif inputs.asset_life is not None:
        if inputs.asset_life <= 0:
            raise InvalidParameterError("asset_life must be > 0 years")
        in_service = n - start
        residual_amount += capex.sum() * max(0, inputs.asset_life - in_service) / inputs.asset_life
    # Without an asset life no residual value is claimed for the initial investment, but
    # replacements keep theirs: their lives are given, and dropping the undepreciated
    # part of a late replacement would overstate the funding gap.
    residual = np.zeros(n)
    residual[-1] = residual_amount

    base_year = inputs.start_year if inputs.price_base_year is None else inputs.price_base_year
    lines = {
        "capex": capex,
        "replacement": replacement,
        "fixed_opex": fixed_opex,
        "variable_opex": variable_opex,
        "revenue": revenue,
        "residual": residual,
    }
    if prices == "nominal":
        _rate(inputs.inflation, "inflation")
        inflation = Inflation.of(inputs.inflation, inputs.line_inflation)
        lines = inflate_lines(lines, inflation, inputs.start_year + t, base_year)
    elif prices != "real":
        raise InvalidParameterError(f"prices must be 'real' or 'nominal', not {prices!r}")
    return YearlyFlows(
        start_year=inputs.start_year,
        currency=inputs.currency,
        price_base_year=base_year,
        nominal=prices == "nominal",
        **lines,
    )


def incremental(with_project: YearlyFlows, without_project: YearlyFlows) -> YearlyFlows:
    """With-project minus without-project flows, line by line (the CBA's incremental case).

    Lines of the result may be negative (e.g. a saved opex shows as a negative cost).

    Raises
    ------
    InvalidCashflowError
        The two scenarios differ in years, currency or price basis.

    Examples
    --------
    >>> w = build_flows(ProjectInputs(2025, 3, [90.0], fixed_opex=5.0, other_revenue=20.0))
    >>> wo = build_flows(ProjectInputs(2025, 3, [0.0], fixed_opex=8.0, other_revenue=10.0))
    >>> incremental(w, wo).net.tolist()
    [-90.0, 13.0, 13.0]
    """
    a, b = with_project, without_project
    if (a.start_year, a.years.size) != (b.start_year, b.years.size):
        raise InvalidCashflowError(
            f"scenarios cover different years ({a.years[0]}-{a.years[-1]} vs "
            f"{b.years[0]}-{b.years[-1]}); build both over the same reference period"
        )
    if a.price_basis != b.price_basis:
        raise InvalidCashflowError(
            f"scenarios are in different price bases ({a.price_basis} vs {b.price_basis}); "
            "convert one first"
        )
    return YearlyFlows(
        start_year=a.start_year,
        currency=a.currency,
        price_base_year=a.price_base_year,
        nominal=a.nominal,
        **{kind: getattr(a, kind) - getattr(b, kind) for kind in LINE_KINDS},
    )
