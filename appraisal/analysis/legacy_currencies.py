"""Currencies no longer in use, each with the fixed rate to the one that replaced it.

Two kinds, handled the same way (``appraisal/data/fx_cpi_README.md``, caveats 1 and 2):

* **euro adoption**: the World Bank series give a euro adopter's national currency
  before its adoption year and euros after; an old amount is expressed in euros by
  dividing by the irrevocable conversion rate fixed by the Council of the EU;
* **redenomination**: the World Bank rebases the whole series of a redenominated
  currency to today's unit, so an amount quoted in the old unit is divided by the
  redenomination factor first (1,000,000 TRL = 1 TRY).

A cost in a legacy unit is therefore one fixed division away from its successor, at
the same price year; inflation and exchange then follow the successor's series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LegacyUnit", "LEGACY_SOURCES", "LEGACY_UNITS", "NO_DATA_REASONS"]


@dataclass(frozen=True)
class LegacyUnit:
    """A retired currency: ``per_successor`` old units make one unit of ``successor``."""

    code: str
    successor: str
    per_successor: float
    since: int
    kind: Literal["euro adoption", "redenomination", "dollarisation"]


_EURO = "irrevocable euro conversion rate (Council of the EU)"

LEGACY_UNITS: dict[str, LegacyUnit] = {
    u.code: u
    for u in (
        # Euro adoption (rates as in fx_cpi_README.md caveat 1; 1999 members for completeness).
        LegacyUnit("DEM", "EUR", 1.95583, 1999, "euro adoption"),
        LegacyUnit("FRF", "EUR", 6.55957, 1999, "euro adoption"),
        LegacyUnit("ITL", "EUR", 1936.27, 1999, "euro adoption"),
        LegacyUnit("ESP", "EUR", 166.386, 1999, "euro adoption"),
        LegacyUnit("NLG", "EUR", 2.20371, 1999, "euro adoption"),
        LegacyUnit("BEF", "EUR", 40.3399, 1999, "euro adoption"),
        LegacyUnit("LUF", "EUR", 40.3399, 1999, "euro adoption"),
        LegacyUnit("ATS", "EUR", 13.7603, 1999, "euro adoption"),
        LegacyUnit("PTE", "EUR", 200.482, 1999, "euro adoption"),
        LegacyUnit("FIM", "EUR", 5.94573, 1999, "euro adoption"),
        LegacyUnit("IEP", "EUR", 0.787564, 1999, "euro adoption"),
        LegacyUnit("GRD", "EUR", 340.750, 2001, "euro adoption"),
        LegacyUnit("SIT", "EUR", 239.640, 2007, "euro adoption"),
        LegacyUnit("CYP", "EUR", 0.585274, 2008, "euro adoption"),
        LegacyUnit("MTL", "EUR", 0.429300, 2008, "euro adoption"),
        LegacyUnit("SKK", "EUR", 30.1260, 2009, "euro adoption"),
        LegacyUnit("EEK", "EUR", 15.6466, 2011, "euro adoption"),
        LegacyUnit("LVL", "EUR", 0.702804, 2014, "euro adoption"),
        LegacyUnit("LTL", "EUR", 3.45280, 2015, "euro adoption"),
        LegacyUnit("HRK", "EUR", 7.53450, 2023, "euro adoption"),
        # Redenominations the World Bank rebased to today's unit (caveat 2).
        LegacyUnit("TRL", "TRY", 1_000_000, 2005, "redenomination"),
        LegacyUnit("ROL", "RON", 10_000, 2005, "redenomination"),
        LegacyUnit("AZM", "AZN", 5_000, 2006, "redenomination"),
        LegacyUnit("MZM", "MZN", 1_000, 2006, "redenomination"),
        LegacyUnit("GHC", "GHS", 10_000, 2007, "redenomination"),
        LegacyUnit("SDD", "SDG", 100, 2007, "redenomination"),
        LegacyUnit("TMM", "TMT", 5_000, 2009, "redenomination"),
        LegacyUnit("ZMK", "ZMW", 1_000, 2013, "redenomination"),
        LegacyUnit("BYR", "BYN", 10_000, 2016, "redenomination"),
        LegacyUnit("MRO", "MRU", 10, 2018, "redenomination"),
        LegacyUnit("STD", "STN", 1_000, 2018, "redenomination"),
        LegacyUnit("SLL", "SLE", 1_000, 2022, "redenomination"),
        # El Salvador's colon, fixed at 8.75 per US dollar when the dollar replaced it.
        LegacyUnit("SVC", "USD", 8.75, 2001, "dollarisation"),
    )
}

#: Source named with each legacy step.
LEGACY_SOURCES = {
    "euro adoption": _EURO,
    "redenomination": "redenomination factor set by the issuing central bank "
    "(World Bank series are rebased to the new unit)",
    "dollarisation": "conversion rate fixed by the Monetary Integration Law of El Salvador (2001)",
}

#: Codes with no usable series, and what to do instead.
NO_DATA_REASONS: dict[str, str] = {
    "VES": "Venezuela's World Bank series end in 2016 in bolivares fuertes (VEF), before the "
    "2018 (VES) and 2021 (VED) redenominations; appraise in USD",
    "VED": "Venezuela's World Bank series end in 2016 in bolivares fuertes (VEF), before the "
    "2018 (VES) and 2021 (VED) redenominations; appraise in USD",
    "ZWG": "the Zimbabwe gold (ZiG, April 2024) has no World Bank series yet; appraise in USD",
    "ZWD": "the old Zimbabwe dollar (to 2008) lost its value in hyperinflation and has no "
    "consumer price series; appraise in USD",
    "TWD": "the World Bank publishes no series for Taiwan, China; appraise in USD",
    "CUP": "the World Bank publishes no exchange rate or price series for Cuba; appraise in USD",
    "KPW": "the World Bank publishes no exchange rate or price series for the Democratic "
    "People's Republic of Korea; appraise in USD",
    "ARS": "the World Bank dropped Argentina's consumer price index; appraise in USD, or add "
    "INDEC or IMF WEO prices to appraisal/data/cpi_annual.csv",
}
