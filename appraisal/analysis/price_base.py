"""Bring costs of other years and currencies to a project's price base.

The solution catalogue quotes costs in US dollars or euros of their own year
(1999-2024). Before two costs are compared or summed they must share one currency
and one price year. A conversion here is two kinds of step, each shown with its
factor, the index values used and their source, so staff can defend the figure:

* **inflation** within one currency, ``index[to_year] / index[from_year]``: US CPI-U
  (or, at the caller's choice, the US GDP deflator) for dollars and the euro-area HICP
  for euros;
* **exchange** between currencies at the annual average EUR/USD rate of the year the
  amount is expressed in at that point.

By default the amount is first inflated in its own currency to the target year and
then exchanged at that year's rate ("inflate, then convert"): the price change is the
one the cost was actually exposed to. ``order="convert_first"`` exchanges at the
source year's rate and then inflates with the target currency's index instead; the
two differ by the change of the real exchange rate between the years.

Default indices are package data (``appraisal/data/price_indices.csv``, sources in
``appraisal/data/README.md``); callers may pass their own as a DataFrame or mapping.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import pandas as pd

from appraisal.errors import PriceBaseError

__all__ = [
    "INDEX_SOURCES",
    "ConversionStep",
    "PriceBaseConversion",
    "load_default_indices",
    "convert_cost",
]

#: Column of the indices table used per currency and index choice.
_INDEX_COLUMNS: dict[tuple[str, str], str] = {
    ("USD", "cpi"): "us_cpi_u_annual_avg",
    ("USD", "gdp_deflator"): "us_gdp_deflator",
    ("EUR", "hicp"): "euro_area_hicp_annual",
}
_DEFAULT_INDEX = {"USD": "cpi", "EUR": "hicp"}
_RATE_COLUMN = "eur_usd_annual_avg"

#: Where each column of the default indices comes from (shown with every step).
INDEX_SOURCES: dict[str, str] = {
    "us_cpi_u_annual_avg": "US CPI-U annual average, 1982-84=100 (BLS)",
    "us_gdp_deflator": "US GDP implicit price deflator, 2017=100 (BEA via FRED GDPDEF)",
    "euro_area_hicp_annual": "Euro-area HICP annual average, 2015=100 (Eurostat prc_hicp_aind)",
    "eur_usd_annual_avg": "EUR/USD annual average of daily reference rates, USD per EUR (ECB)",
}


@dataclass(frozen=True)
class ConversionStep:
    """One step of a price-base conversion, as shown to the user.

    Attributes
    ----------
    kind : {"inflation", "exchange"}
    description : str
        The step in words, e.g. ``"USD 2003 -> USD 2024 with US CPI-U: 313.689 / 184.0"``.
    factor : float
        What the amount is multiplied by.
    value_before, value_after : float
        The amount before and after this step.
    index_from, index_to : float
        Index values (inflation) or the USD-per-EUR rate twice (exchange).
    source : str
        Where the index or rate comes from.
    """

    kind: Literal["inflation", "exchange"]
    description: str
    factor: float
    value_before: float
    value_after: float
    index_from: float
    index_to: float
    source: str


@dataclass(frozen=True)
class PriceBaseConversion:
    """An amount brought to another currency and price year, with its steps."""

    amount: float
    currency: str
    year: int
    to_currency: str
    to_year: int
    value: float
    steps: tuple[ConversionStep, ...]

    @property
    def factor(self) -> float:
        """Overall factor, ``value / amount`` (the product of the steps' factors)."""
        return math.prod(step.factor for step in self.steps)

    def explain(self) -> str:
        """The conversion in words, one line per step."""
        head = (
            f"{self.currency} {self.amount:,.2f} ({self.year} prices) = "
            f"{self.to_currency} {self.value:,.2f} ({self.to_year} prices)"
        )
        lines = [head] + [
            f"  {i}. {s.description}: x {s.factor:.6f} -> {s.value_after:,.2f} [{s.source}]"
            for i, s in enumerate(self.steps, start=1)
        ]
        return "\n".join(lines)


@functools.cache
def _read_default_indices() -> pd.DataFrame:
    path = resources.files("appraisal").joinpath("data/price_indices.csv")
    with path.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle)
    return frame.set_index("year").sort_index()


def load_default_indices() -> pd.DataFrame:
    """The packaged indices, indexed by year (a copy: callers may edit it).

    Returns
    -------
    pandas.DataFrame
        Columns ``us_cpi_u_annual_avg``, ``euro_area_hicp_annual``,
        ``eur_usd_annual_avg``, ``us_gdp_deflator`` (and an empty euro-area deflator),
        one row per year 1999-2024.

    Examples
    --------
    >>> idx = load_default_indices()
    >>> int(idx.index.min()), int(idx.index.max())
    (1999, 2024)
    >>> float(idx.loc[2024, "eur_usd_annual_avg"])
    1.0824
    """
    return _read_default_indices().copy()


def _as_frame(indices: pd.DataFrame | Mapping[str, Mapping[int, float]] | None) -> pd.DataFrame:
    if indices is None:
        return _read_default_indices()
    if isinstance(indices, pd.DataFrame):
        frame = indices.set_index("year") if "year" in indices.columns else indices
    elif isinstance(indices, Mapping):
        frame = pd.DataFrame({name: pd.Series(dict(col)) for name, col in indices.items()})
    else:
        raise PriceBaseError(
            f"indices must be a pandas DataFrame or a mapping of column -> {{year: value}}, "
            f"not {type(indices).__name__}; pass None to use the packaged indices"
        )
    frame = frame.copy()
    frame.index = frame.index.astype(int)
    return frame.sort_index()


def _check_year(year: object, what: str) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise PriceBaseError(
            f"{what} must be a whole calendar year such as 2003, not {year!r}; "
            "round a published 'c.2003' to its year before converting"
        )
    return year


def _lookup(frame: pd.DataFrame, column: str, year: int) -> float:
    if column not in frame.columns:
        raise PriceBaseError(
            f"the price indices have no column {column!r}; "
            f"supply it (columns present: {', '.join(map(str, frame.columns))})"
        )
    series = frame[column].dropna()
    if series.empty:
        raise PriceBaseError(f"the price-index column {column!r} holds no values; fill it in")
    if year not in series.index:
        first, last = int(series.index.min()), int(series.index.max())
        raise PriceBaseError(
            f"year {year} is outside the years of {column!r} ({first}-{last}); "
            f"choose a year in {first}-{last} or pass indices that cover {year}"
        )
    value = float(series.loc[year])
    if not math.isfinite(value) or value <= 0:
        raise PriceBaseError(f"{column!r} for {year} is {value!r}; an index must be positive")
    return value


def _source(column: str, custom: bool) -> str:
    label = INDEX_SOURCES.get(column, column)
    return f"{label}, caller-supplied values" if custom else label


def _inflate(frame, column, currency, value, year, to_year, custom) -> ConversionStep:
    i_from, i_to = _lookup(frame, column, year), _lookup(frame, column, to_year)
    factor = i_to / i_from
    return ConversionStep(
        kind="inflation",
        description=(
            f"{currency} {year} -> {currency} {to_year} prices with {column}: {i_to:g} / {i_from:g}"
        ),
        factor=factor,
        value_before=value,
        value_after=value * factor,
        index_from=i_from,
        index_to=i_to,
        source=_source(column, custom),
    )


def _exchange(frame, currency, to_currency, value, year, custom) -> ConversionStep:
    rate = _lookup(frame, _RATE_COLUMN, year)  # US dollars per euro
    factor = 1.0 / rate if currency == "USD" else rate
    sign = "/" if currency == "USD" else "x"
    return ConversionStep(
        kind="exchange",
        description=(
            f"{currency} -> {to_currency} at the {year} average rate: {sign} {rate:g} USD per EUR"
        ),
        factor=factor,
        value_before=value,
        value_after=value * factor,
        index_from=rate,
        index_to=rate,
        source=_source(_RATE_COLUMN, custom),
    )


def convert_cost(
    amount: float,
    currency: str,
    year: int,
    *,
    to_currency: str,
    to_year: int,
    indices: pd.DataFrame | Mapping[str, Mapping[int, float]] | None = None,
    usd_index: Literal["cpi", "gdp_deflator"] = "cpi",
    order: Literal["inflate_first", "convert_first"] = "inflate_first",
) -> PriceBaseConversion:
    """Bring an amount of ``currency`` at ``year`` prices to ``to_currency`` at ``to_year``.

    Parameters
    ----------
    amount : float
        The cost as published.
    currency, to_currency : {"EUR", "USD"}
    year, to_year : int
        Price years (a published "c.2003" is the caller's to round to 2003).
    indices : DataFrame or mapping, optional
        Indices with the packaged columns, indexed by year (or with a ``year``
        column), or ``{column: {year: value}}``. Default: the packaged indices.
    usd_index : {"cpi", "gdp_deflator"}
        Index for US dollar inflation. The euro always uses the euro-area HICP.
    order : {"inflate_first", "convert_first"}
        Inflate in the source currency then exchange at ``to_year``'s rate (default),
        or exchange at ``year``'s rate then inflate in the target currency.

    Returns
    -------
    PriceBaseConversion
        The converted ``value`` and every step (factor, index values, source).

    Raises
    ------
    PriceBaseError
        Unknown currency or index, a year the indices do not cover, a bad amount.

    Examples
    --------
    >>> c = convert_cost(1000.0, "USD", 2003, to_currency="EUR", to_year=2024)
    >>> round(c.value, 2)
    1575.05
    >>> [s.kind for s in c.steps]
    ['inflation', 'exchange']
    >>> print(c.steps[0].description)
    USD 2003 -> USD 2024 prices with us_cpi_u_annual_avg: 313.689 / 184
    >>> round(convert_cost(100.0, "EUR", 2015, to_currency="EUR", to_year=2024).value, 2)
    126.07
    """
    if not isinstance(amount, int | float) or isinstance(amount, bool):
        raise PriceBaseError(f"amount must be a number, not {amount!r}")
    if not math.isfinite(amount):
        raise PriceBaseError(f"amount is {amount!r}; give a finite number")
    year, to_year = _check_year(year, "year"), _check_year(to_year, "to_year")
    for cur in (currency, to_currency):
        if cur not in _DEFAULT_INDEX:
            raise PriceBaseError(
                f"currency {cur!r} is not supported; use 'EUR' or 'USD' "
                "(convert other currencies to one of them first)"
            )
    if usd_index not in ("cpi", "gdp_deflator"):
        raise PriceBaseError(f"usd_index must be 'cpi' or 'gdp_deflator', not {usd_index!r}")
    if order not in ("inflate_first", "convert_first"):
        raise PriceBaseError(f"order must be 'inflate_first' or 'convert_first', not {order!r}")
    frame = _as_frame(indices)
    custom = indices is not None
    choice = {"USD": usd_index, "EUR": "hicp"}

    steps: list[ConversionStep] = []
    value = float(amount)
    plan: list[tuple[str, str, int]] = []  # (kind, currency, year of that step)
    if currency == to_currency:
        plan = [("inflation", currency, year)]
    elif order == "inflate_first":
        plan = [("inflation", currency, year), ("exchange", currency, to_year)]
    else:
        plan = [("exchange", currency, year), ("inflation", to_currency, year)]
    for kind, cur, at_year in plan:
        if kind == "inflation":
            column = _INDEX_COLUMNS[(cur, choice[cur])]
            step = _inflate(frame, column, cur, value, at_year, to_year, custom)
        else:
            step = _exchange(frame, cur, to_currency, value, at_year, custom)
        steps.append(step)
        value = step.value_after
    return PriceBaseConversion(
        amount=float(amount),
        currency=currency,
        year=year,
        to_currency=to_currency,
        to_year=to_year,
        value=value,
        steps=tuple(steps),
    )
