"""One currency's price index and exchange rate, read by year, with the stated
assumption used beyond the last year of data.

Every currency is read the same way, whatever its source: the euro and the US dollar
from the packaged (or caller's) indices table, any other currency from the World Bank
series of :mod:`appraisal.analysis.world_prices`.

Beyond the last year of a series the value is **assumed**, and the assumption is
returned with it so it is shown beside the figure:

* a price index grows by the last year's inflation, ``index[last] / index[last - 1]``,
  every year after ``last``;
* an exchange rate stays at the last year's rate.

A year before the first year of a series, or a gap inside it, is refused with the
years that are covered: nothing is assumed backwards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from appraisal.analysis.world_prices import currency_series
from appraisal.errors import PriceBaseError

__all__ = ["Reading", "CurrencyPrices", "frame_prices", "world_prices", "read_index", "read_rate"]

#: Column of the indices table used per currency and index choice.
INDEX_COLUMNS: dict[tuple[str, str], str] = {
    ("USD", "cpi"): "us_cpi_u_annual_avg",
    ("USD", "gdp_deflator"): "us_gdp_deflator",
    ("EUR", "hicp"): "euro_area_hicp_annual",
}
RATE_COLUMN = "eur_usd_annual_avg"

#: Where each column of the default indices comes from (shown with every step).
INDEX_SOURCES: dict[str, str] = {
    "us_cpi_u_annual_avg": "US CPI-U annual average, 1982-84=100 (BLS)",
    "us_gdp_deflator": "US GDP implicit price deflator, 2017=100 (BEA via FRED GDPDEF)",
    "euro_area_hicp_annual": "Euro-area HICP annual average, 2015=100 (Eurostat prc_hicp_aind)",
    "eur_usd_annual_avg": "EUR/USD annual average of daily reference rates, USD per EUR (ECB)",
}


@dataclass(frozen=True)
class Reading:
    """A value of a series in one year; ``assumption`` says how it was assumed, or ""."""

    value: float
    assumption: str = ""


@dataclass(frozen=True)
class CurrencyPrices:
    """A currency's series, read lazily so a missing one fails only when it is needed.

    ``index`` and ``quote`` are mappings year -> value, or an error message when the
    series is not available. ``quote`` is the rate as published: US dollars per euro for
    the euro, units per US dollar for every other currency, nothing for the dollar.
    """

    code: str
    index: Mapping[int, float] | str
    index_name: str
    index_source: str
    quote: Mapping[int, float] | str | None
    rate_source: str
    caveat: str = ""

    def usd_value(self, quote: float) -> float:
        """US dollars one unit is worth at the published ``quote``."""
        return quote if self.code == "EUR" else 1.0 / quote

    def quote_leg(self, quote: float, *, into: bool) -> str:
        """The exchange leg in words: leaving this currency (into USD) or entering it."""
        if self.code == "EUR":
            return f"{'x' if into else '/'} {quote:g} USD per EUR"
        return f"{'/' if into else 'x'} {quote:g} {self.code} per USD"


def _source(column: str, custom: bool) -> str:
    label = INDEX_SOURCES.get(column, column)
    return f"{label}, caller-supplied values" if custom else label


def _column(frame: pd.DataFrame, column: str) -> Mapping[int, float] | str:
    if column not in frame.columns:
        return (
            f"the price indices have no column {column!r}; "
            f"supply it (columns present: {', '.join(map(str, frame.columns))})"
        )
    return {int(y): float(v) for y, v in frame[column].dropna().items()}


def frame_prices(frame: pd.DataFrame, code: str, index_choice: str, custom: bool) -> CurrencyPrices:
    """The euro's or the US dollar's series from an indices table."""
    column = INDEX_COLUMNS[(code, index_choice)]
    return CurrencyPrices(
        code=code,
        index=_column(frame, column),
        index_name=column,
        index_source=_source(column, custom),
        quote=None if code == "USD" else _column(frame, RATE_COLUMN),
        rate_source=_source(RATE_COLUMN, custom),
    )


def world_prices(code: str) -> CurrencyPrices:
    """Any other currency's series from the World Bank data (CurrencyDataError if none)."""
    series = currency_series(code)
    return CurrencyPrices(
        code=code,
        index=series.index,
        index_name=series.index_label,
        index_source=series.index_source,
        quote=series.per_usd,
        rate_source=series.rate_source,
        caveat=series.caveat,
    )


def _known(series: Mapping[int, float] | str | None, name: str) -> dict[int, float]:
    if isinstance(series, str):
        raise PriceBaseError(series)
    known = {y: v for y, v in (series or {}).items() if math.isfinite(v)}
    if not known:
        raise PriceBaseError(f"the series {name!r} holds no values; fill it in")
    bad = {y: v for y, v in known.items() if v <= 0}
    if bad:
        year, value = min(bad.items())
        raise PriceBaseError(f"{name!r} for {year} is {value!r}; an index must be positive")
    return known


def _covered(known: Mapping[int, float], year: int, name: str) -> int:
    """The last year of the series, after checking ``year`` is not before or inside a gap."""
    first, last = min(known), max(known)
    if year < first:
        raise PriceBaseError(
            f"year {year} is outside the years of {name!r} ({first}-{last}); "
            f"choose a year from {first}, or pass indices that cover {year}"
        )
    if year <= last and year not in known:
        raise PriceBaseError(
            f"{name!r} has no value for {year} (a gap in the series, {first}-{last}); "
            "choose a year with data"
        )
    return last


def read_index(prices: CurrencyPrices, year: int) -> Reading:
    """The price index in ``year``; after the last year, the last inflation carried forward.

    Examples
    --------
    >>> p = CurrencyPrices("ABC", {2023: 100.0, 2024: 102.0}, "cpi", "test", None, "")
    >>> read_index(p, 2024)
    Reading(value=102.0, assumption='')
    >>> r = read_index(p, 2026)
    >>> round(r.value, 4), r.assumption
    (106.1208, 'assumed: 2024 inflation of 2.0 % carried forward to 2026')
    """
    known = _known(prices.index, prices.index_name)
    last = _covered(known, year, prices.index_name)
    if year <= last:
        return Reading(known[year])
    if last - 1 not in known:
        raise PriceBaseError(
            f"{prices.index_name!r} has one year of data before {year} ({last}), so no "
            f"inflation to carry forward; choose a price base year of {last} or before"
        )
    growth = known[last] / known[last - 1]
    return Reading(
        known[last] * growth ** (year - last),
        f"assumed: {last} inflation of {(growth - 1) * 100:.1f} % carried forward to {year}",
    )


def read_rate(prices: CurrencyPrices, year: int) -> Reading:
    """The published exchange rate in ``year``; after the last year, the last rate.

    Examples
    --------
    >>> p = CurrencyPrices("ABC", {}, "cpi", "", {2023: 3.0, 2024: 3.1}, "test")
    >>> read_rate(p, 2027).assumption
    'assumed: the 2024 rate (3.1 ABC per USD) carried forward to 2027'
    """
    name = RATE_COLUMN if prices.code == "EUR" else f"{prices.code} per USD"
    known = _known(prices.quote, name)
    last = _covered(known, year, name)
    if year <= last:
        return Reading(known[year])
    unit = "USD per EUR" if prices.code == "EUR" else f"{prices.code} per USD"
    return Reading(
        known[last],
        f"assumed: the {last} rate ({known[last]:g} {unit}) carried forward to {year}",
    )
