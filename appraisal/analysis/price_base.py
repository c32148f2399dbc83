"""Bring costs of other years and currencies to a project's price base.

The solution catalogue quotes costs in US dollars or euros of their own year
(1999-2024); projects are appraised in their city's currency. Before two costs are
compared or summed they must share one currency and one price year. A conversion here
is a few steps, each shown with its factor, the index values used and their source, so
staff can defend the figure:

* **legacy**: a retired currency (HRK, TRL...) to its successor at the fixed rate
  (:mod:`appraisal.analysis.legacy_currencies`);
* **inflation** within one currency, ``index[to_year] / index[from_year]``: US CPI-U
  (or, at the caller's choice, the US GDP deflator) for dollars, the euro-area HICP
  for euros, the World Bank consumer price index of the issuing economy for any other
  currency (:mod:`appraisal.analysis.world_prices`);
* **exchange** between currencies at the annual average rates of the year the amount
  is expressed in at that point, through the US dollar (ECB's USD per EUR for the
  euro, World Bank units per USD for the others).

Beyond the last year of data a value is assumed and said so in the step ("assumed:
2024 inflation of 2.9 % carried forward to 2026"; the last rate carried forward):
:mod:`appraisal.analysis.price_series`.

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

from appraisal.analysis.legacy_currencies import LEGACY_SOURCES, LEGACY_UNITS
from appraisal.analysis.price_series import (
    INDEX_SOURCES,
    CurrencyPrices,
    frame_prices,
    read_index,
    read_rate,
    world_prices,
)
from appraisal.errors import CurrencyDataError, PriceBaseError

__all__ = [
    "INDEX_SOURCES",
    "CurrencyDataError",
    "ConversionStep",
    "PriceBaseConversion",
    "load_default_indices",
    "convert_cost",
]

_DEFAULT_INDEX = {"USD": "cpi", "EUR": "hicp"}


@dataclass(frozen=True)
class ConversionStep:
    """One step of a price-base conversion, as shown to the user.

    Attributes
    ----------
    kind : {"inflation", "exchange", "legacy"}
        ``legacy``: a retired currency to its successor at the fixed rate.
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
    assumption : str
        How a value beyond the data was assumed (also in ``description``), or "".
    """

    kind: Literal["inflation", "exchange", "legacy"]
    description: str
    factor: float
    value_before: float
    value_after: float
    index_from: float
    index_to: float
    source: str
    assumption: str = ""


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
    caveats: tuple[str, ...] = ()

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every value assumed beyond the data, in words (empty when none was)."""
        return tuple(s.assumption for s in self.steps if s.assumption)

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
            f"  {i}. {s.description}: x {_factor_text(s.factor)} -> {s.value_after:,.2f}"
            f" [{s.source}]"
            for i, s in enumerate(self.steps, start=1)
        ]
        lines += [f"  Note: {caveat}" for caveat in self.caveats]
        return "\n".join(lines)


def _factor_text(factor: float) -> str:
    """Six decimals, or six significant digits for the tiny factors of weak currencies."""
    return f"{factor:.6f}" if abs(factor) >= 0.01 else f"{factor:.6g}"


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


def _check_code(code: object, what: str) -> str:
    if not isinstance(code, str) or len(code) != 3 or not code.isalpha() or not code.isupper():
        raise CurrencyDataError(
            str(code),
            f"{what} {code!r} is not a currency code; give three capital letters such as "
            "'EUR', 'USD' or 'TND'",
        )
    return code


def _legacy(currency: str, year: int, value: float) -> ConversionStep:
    unit = LEGACY_UNITS[currency]
    factor = 1.0 / unit.per_successor
    return ConversionStep(
        kind="legacy",
        description=(
            f"{currency} -> {unit.successor} at the {unit.kind} rate ({unit.since}), "
            f"{year} prices kept: / {unit.per_successor:g} {currency} per {unit.successor}"
        ),
        factor=factor,
        value_before=value,
        value_after=value * factor,
        index_from=unit.per_successor,
        index_to=unit.per_successor,
        source=LEGACY_SOURCES[unit.kind],
    )


def _inflate(prices: CurrencyPrices, value: float, year: int, to_year: int) -> ConversionStep:
    start, end = read_index(prices, year), read_index(prices, to_year)
    factor = end.value / start.value
    assumption = "; ".join(dict.fromkeys(a for a in (start.assumption, end.assumption) if a))
    cur = prices.code
    return ConversionStep(
        kind="inflation",
        description=(
            f"{cur} {year} -> {cur} {to_year} prices with {prices.index_name}: "
            f"{end.value:g} / {start.value:g}" + (f" ({assumption})" if assumption else "")
        ),
        factor=factor,
        value_before=value,
        value_after=value * factor,
        index_from=start.value,
        index_to=end.value,
        source=prices.index_source,
        assumption=assumption,
    )


def _exchange(
    source: CurrencyPrices, target: CurrencyPrices, value: float, year: int
) -> ConversionStep:
    legs, quotes, assumptions, sources, factor = [], [], [], [], 1.0
    for prices, into in ((source, True), (target, False)):
        if prices.code == "USD":
            quotes.append(1.0)
            continue
        reading = read_rate(prices, year)
        usd = prices.usd_value(reading.value)
        factor *= usd if into else 1.0 / usd
        legs.append(prices.quote_leg(reading.value, into=into))
        quotes.append(reading.value)
        sources.append(prices.rate_source)
        if reading.assumption:
            assumptions.append(reading.assumption)
    assumption = "; ".join(dict.fromkeys(assumptions))
    plural = "s" if len(legs) > 1 else ""
    return ConversionStep(
        kind="exchange",
        description=(
            f"{source.code} -> {target.code} at the {year} average rate{plural}: "
            + " ".join(legs)
            + (f" ({assumption})" if assumption else "")
        ),
        factor=factor,
        value_before=value,
        value_after=value * factor,
        index_from=quotes[0],
        index_to=quotes[1],
        source="; ".join(dict.fromkeys(sources)),
        assumption=assumption,
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
    currency, to_currency : str
        ISO 4217 codes. EUR and USD use ``indices``; any other code the World Bank
        series (:func:`appraisal.analysis.world_prices.currency_series`). ``currency``
        may be a retired code (HRK, TRL...): it is first brought to its successor.
    year, to_year : int
        Price years (a published "c.2003" is the caller's to round to 2003). A year
        after the data is assumed: the last inflation, or the last rate, carried
        forward, and the step says so.
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
        The converted ``value``, every step (factor, index values, source, any
        assumption) and the caveats of the currencies involved.

    Raises
    ------
    CurrencyDataError
        A code that is not a currency, or one with no prices or rates (says which and
        what to do instead).
    PriceBaseError
        Unknown index, a year before the data or inside a gap, a bad amount.

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
    >>> c = convert_cost(100.0, "EUR", 2024, to_currency="TND", to_year=2026)
    >>> c.assumptions[0]
    'assumed: 2024 inflation of 2.4 % carried forward to 2026'
    """
    if not isinstance(amount, int | float) or isinstance(amount, bool):
        raise PriceBaseError(f"amount must be a number, not {amount!r}")
    if not math.isfinite(amount):
        raise PriceBaseError(f"amount is {amount!r}; give a finite number")
    year, to_year = _check_year(year, "year"), _check_year(to_year, "to_year")
    currency, to_currency = _check_code(currency, "currency"), _check_code(to_currency, "currency")
    if to_currency in LEGACY_UNITS:
        unit = LEGACY_UNITS[to_currency]
        raise CurrencyDataError(
            to_currency,
            f"currency {to_currency!r} is no longer in use ({unit.kind} {unit.since}); "
            f"convert to {unit.successor} instead",
        )
    if usd_index not in ("cpi", "gdp_deflator"):
        raise PriceBaseError(f"usd_index must be 'cpi' or 'gdp_deflator', not {usd_index!r}")
    if order not in ("inflate_first", "convert_first"):
        raise PriceBaseError(f"order must be 'inflate_first' or 'convert_first', not {order!r}")
    frame = _as_frame(indices)
    choice = {"USD": usd_index, "EUR": "hicp"}

    def prices_of(code: str) -> CurrencyPrices:
        if code in choice:
            return frame_prices(frame, code, choice[code], indices is not None)
        return world_prices(code)

    steps: list[ConversionStep] = []
    value = float(amount)
    from_code = currency
    if currency in LEGACY_UNITS:
        steps.append(_legacy(currency, year, value))
        value, currency = steps[-1].value_after, LEGACY_UNITS[currency].successor
    source, target = prices_of(currency), prices_of(to_currency)
    if currency == to_currency:
        steps.append(_inflate(source, value, year, to_year))
    elif order == "inflate_first":
        steps.append(_inflate(source, value, year, to_year))
        steps.append(_exchange(source, target, steps[-1].value_after, to_year))
    else:
        steps.append(_exchange(source, target, value, year))
        steps.append(_inflate(target, steps[-1].value_after, year, to_year))
    return PriceBaseConversion(
        amount=float(amount),
        currency=from_code,
        year=year,
        to_currency=to_currency,
        to_year=to_year,
        value=steps[-1].value_after,
        steps=tuple(steps),
        caveats=tuple(dict.fromkeys(p.caveat for p in (source, target) if p.caveat)),
    )
