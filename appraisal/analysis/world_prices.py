"""Consumer prices and exchange rates of every currency the World Bank series cover.

Package data, copied unchanged from the project's shared reference data (columns and
sources in ``appraisal/data/README.md``, caveats in ``appraisal/data/fx_cpi_README.md``):

* ``cpi_annual.csv``: consumer price index per economy and year, chained from World Bank
  WDI FP.CPI.TOTL.ZG (inflation, consumer prices, annual %);
* ``fx_annual.csv``: official exchange rate per economy and year, local currency units
  per US dollar, annual average (WDI PA.NUS.FCRF), with the currency code of each row;
* ``currencies.csv``: the ISO 4217 code each economy used in 2024.

A currency's prices are those of one economy, its **anchor**: the one economy using it,
or, for a currency shared by several, the economy where the issuing central bank sits
(:data:`SHARED_ANCHORS`). Its rates are the anchor's rows quoted in that currency, so the
legacy rows of euro adopters (HRK for Croatia before 2023) never mix with the euro.

The euro and the US dollar keep their own indices (euro-area HICP, US CPI-U, ECB
rate: ``appraisal/data/price_indices.csv``); :mod:`appraisal.analysis.price_base` reads
those. The WDI values agree with the ECB rates to the published digits (README check 9).
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from appraisal.analysis.legacy_currencies import LEGACY_UNITS, NO_DATA_REASONS
from appraisal.errors import CurrencyDataError

__all__ = [
    "ATTRIBUTION",
    "SHARED_ANCHORS",
    "CurrencySeries",
    "available_currencies",
    "currency_series",
]

ATTRIBUTION = (
    "Source: World Bank, World Development Indicators (PA.NUS.FCRF, FP.CPI.TOTL.ZG), CC BY 4.0."
)

#: Currencies used by several economies: the economy whose prices and rate stand for it.
SHARED_ANCHORS: dict[str, str] = {
    "AUD": "AUS",  # Reserve Bank of Australia (also Kiribati, Nauru, Tuvalu)
    "CHF": "CHE",  # Swiss National Bank (also Liechtenstein)
    "GBP": "GBR",  # Bank of England (also Channel Islands, Isle of Man)
    "DKK": "DNK",  # Danmarks Nationalbank (also Faroe Islands, Greenland)
    "ILS": "ISR",  # Bank of Israel (also West Bank and Gaza)
    "XOF": "SEN",  # BCEAO, Dakar (West African CFA franc, eight economies)
    "XAF": "CMR",  # BEAC, Yaounde (Central African CFA franc, six economies)
    "XCD": "KNA",  # Eastern Caribbean Central Bank, Basseterre
    "ANG": "CUW",  # Central Bank of Curacao and Sint Maarten, Willemstad
    "XPF": "NCL",  # IEOM (Paris); New Caledonia is the user with a price series
}

#: Codes the files leave empty or write oddly, and the code meant (README caveats 2, 4).
_CODE_FIXES: dict[tuple[str, str], str] = {
    ("TUR", ""): "TRY",  # the files leave Turkiye's code empty; README caveat 2 names TRY
    ("ZWE", "ZWL/ZWG"): "ZWL",  # 2024 mixes ZWL and ZiG; kept as ZWL with the caveat below
}

#: Caveats of fx_cpi_README.md shown with every conversion in that currency.
CAVEATS: dict[str, str] = {
    "VEF": "Venezuela: rates end in 2016 and the 2018 and 2021 redenominations and "
    "hyperinflation make the series unusable for cost transfer after 2016",
    "ZWL": "Zimbabwe: no rates 2009-2020 (dollarised); the 2024 rate mixes ZWL and ZiG "
    "and is doubtful; prices only 2009-2022",
    "IRR": "Iran: 42,000 IRR per USD in 2019-2023 is the subsidised official rate; the "
    "market rate was several times higher",
    "LBP": "Lebanon: 1,507.5 LBP per USD until 2022 is the old peg (13,876 in 2023, "
    "89,500 in 2024)",
    "NGN": "Nigeria: the official rate before 2023 was well below the market rate",
    "EGP": "Egypt: the official rate lagged the market rate in several years",
    "SYP": "Syria: the official rate is far from the market rate",
    "ETB": "Ethiopia: the official rate lagged the market rate until 2024",
    "LSL": "Lesotho: prices before about 2010 differ by up to 27 % between World Bank "
    "vintages; treat early years with care",
}


@dataclass(frozen=True)
class CurrencySeries:
    """One currency's price index and exchange rate by year, with their sources.

    Attributes
    ----------
    code : str
        ISO 4217 code.
    label : str
        The code and the economy whose prices stand for it, e.g. ``"TND (Tunisia)"``,
        ``"XOF (Senegal and 7 more)"``.
    index : Mapping[int, float]
        Consumer price index by year (only ratios matter; base in ``index_label``).
    index_label, index_source : str
        Short name of the index (shown in each step) and where it comes from.
    per_usd : Mapping[int, float]
        Units of this currency per US dollar, annual average, by year.
    rate_source : str
    caveat : str
        What to keep in mind (official vs market rate, hyperinflation), or "".
    """

    code: str
    label: str
    index: Mapping[int, float]
    index_label: str
    index_source: str
    per_usd: Mapping[int, float]
    rate_source: str
    caveat: str = ""
    derived_years: tuple[int, ...] = field(default=())


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files("appraisal").joinpath(f"data/{name}")
    with path.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _tables() -> tuple[dict, dict, dict, dict]:
    """(users of each code, country names, CPI by economy, FX by (economy, code))."""
    users: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in _rows("currencies.csv"):
        iso3, code = row["iso3"], row["currency_2024"].strip()
        code = _CODE_FIXES.get((iso3, code), code)
        names[iso3] = row["country"]
        if code:
            users[code].append(iso3)
    cpi: dict[str, tuple[dict[int, float], str]] = {}
    for row in _rows("cpi_annual.csv"):
        series, _ = cpi.setdefault(row["iso3"], ({}, row["base"]))
        series[int(row["year"])] = float(row["cpi_index"])
    fx: dict[tuple[str, str], dict[int, tuple[float, str]]] = defaultdict(dict)
    for row in _rows("fx_annual.csv"):
        code = _CODE_FIXES.get((row["iso3"], row["currency"].strip()), row["currency"].strip())
        fx[(row["iso3"], code)][int(row["year"])] = (float(row["lcu_per_usd"]), row["source"])
    return dict(users), names, cpi, dict(fx)


def _anchor(code: str, users: Mapping[str, list[str]]) -> str | None:
    if code in SHARED_ANCHORS:
        return SHARED_ANCHORS[code]
    economies = users.get(code, [])
    if len(economies) == 1:
        return economies[0]
    return None


def _label(code: str, anchor: str, users: Mapping[str, list[str]], names: Mapping[str, str]) -> str:
    """``"TND (Tunisia)"``; a shared currency names its anchor: ``"XOF (Senegal and 7 more)"``."""
    others = len(users.get(code, [anchor])) - 1
    return f"{code} ({names[anchor]}{f' and {others} more' if others > 0 else ''})"


def _no_data(code: str, what: str) -> CurrencyDataError:
    reason = NO_DATA_REASONS.get(code)
    if reason is None:
        reason = (
            f"the World Bank series hold no {what} for {code}; appraise in EUR or USD, or add "
            f"its series to appraisal/data/ (see appraisal/data/README.md)"
        )
    return CurrencyDataError(code, f"currency {code!r} cannot be converted: {reason}")


@functools.cache
def currency_series(code: str) -> CurrencySeries:
    """The price index and rates of ``code`` (any currency but EUR and USD).

    Raises
    ------
    CurrencyDataError
        The code is unknown, retired (see :data:`LEGACY_UNITS`) or has no series.

    Examples
    --------
    >>> s = currency_series("TND")
    >>> s.label, round(s.per_usd[2024], 3)
    ('TND (Tunisia)', 3.107)
    >>> round(s.index[2024] / s.index[2015], 3) > 1
    True
    """
    if not isinstance(code, str) or len(code) != 3 or not code.isalpha() or not code.isupper():
        raise CurrencyDataError(
            str(code), f"{code!r} is not a currency code; give three capital letters, e.g. TND"
        )
    if code in LEGACY_UNITS:
        unit = LEGACY_UNITS[code]
        raise CurrencyDataError(
            code,
            f"currency {code!r} is no longer in use ({unit.kind} {unit.since}: "
            f"{unit.per_successor:g} {code} = 1 {unit.successor}); use {unit.successor}",
        )
    users, names, cpi, fx = _tables()
    anchor = _anchor(code, users)
    if anchor is None and code not in NO_DATA_REASONS:
        raise CurrencyDataError(
            code,
            f"currency {code!r} is not one the platform has prices for; "
            "choose an ISO 4217 code of the list (e.g. EUR, USD, NOK, TND)",
        )
    rates = fx.get((anchor, code), {}) if anchor else {}
    if not rates:
        raise _no_data(code, "exchange rate")
    if anchor not in cpi:
        raise _no_data(code, "consumer price index")
    index, base = cpi[anchor]
    country = names[anchor]
    derived = tuple(sorted(y for y, (_, src) in rates.items() if not src.startswith("World")))
    rate_source = (
        f"World Bank WDI PA.NUS.FCRF, official exchange rate of {country}, {code} per USD, "
        "annual average (IMF IFS), CC BY 4.0"
    )
    if derived:
        rate_source += f"; {derived[0]}-{derived[-1]} derived: {rates[derived[0]][1]}"
    return CurrencySeries(
        code=code,
        label=_label(code, anchor, users, names),
        index=index,
        index_label=f"CPI of {country} ({base})",
        index_source=(
            f"World Bank WDI consumer price index of {country}, chained from FP.CPI.TOTL.ZG "
            f"(inflation, consumer prices, annual %), {base}, CC BY 4.0"
        ),
        per_usd={year: value for year, (value, _) in rates.items()},
        rate_source=rate_source,
        caveat=CAVEATS.get(code, ""),
        derived_years=derived,
    )


@functools.cache
def available_currencies() -> tuple[tuple[str, str], ...]:
    """Every code a project or total can be in, as (code, label): EUR and USD first.

    Examples
    --------
    >>> codes = [c for c, _ in available_currencies()]
    >>> codes[:2], "NOK" in codes, "SAR" in codes, "TWD" in codes
    (['EUR', 'USD'], True, True, False)
    """
    users, names, _, _ = _tables()
    out = [("EUR", "EUR (euro)"), ("USD", "USD (US dollar)")]
    for code in sorted(users):
        if code in ("EUR", "USD"):
            continue
        try:
            out.append((code, currency_series(code).label))
        except CurrencyDataError:
            continue
    return tuple(out)
