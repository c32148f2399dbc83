"""The currency totals are reported in: the user's choice (``?currency=NOK``, say), EUR by
default, always at the platform's reporting price base year.

Shared by the pipeline board and the bundle pages. The sums and conversions are
:func:`appraisal.analysis.totals.total_in`; this module only reads the choice and
offers the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.projects.choices import DEFAULT_PRICE_BASE_YEAR
from appraisal.analysis.totals import Part, ReportedTotal, total_in
from appraisal.analysis.world_prices import available_currencies

__all__ = [
    "REPORTING_CURRENCY",
    "REPORTING_PRICE_BASE_YEAR",
    "Part",
    "Report",
    "ReportedTotal",
    "currency_choices",
    "read_report",
]

#: The platform's reporting currency, used when the user picks none.
REPORTING_CURRENCY = "EUR"
#: Totals are at this year's prices: the latest year of the packaged price indices.
REPORTING_PRICE_BASE_YEAR = DEFAULT_PRICE_BASE_YEAR


@dataclass(frozen=True)
class Report:
    """The reporting currency and price base chosen, and what was wrong with the choice."""

    currency: str = REPORTING_CURRENCY
    price_base_year: int = REPORTING_PRICE_BASE_YEAR
    error: str | None = None

    def total(self, parts) -> ReportedTotal:
        """``parts`` summed in this currency and price base, each conversion kept."""
        return total_in(parts, self.currency, self.price_base_year)


def currency_choices() -> list[tuple[str, str]]:
    """Every currency with prices and rates, (code, label), EUR and USD first."""
    return list(available_currencies())


def read_report(text: str | None) -> Report:
    """The report asked for by ``?currency=``: blank gives EUR; a code that is not one of
    the list gives EUR with the reason in ``error`` (shown on the page, answered 400).

    >>> read_report("nok").currency, read_report(None).currency
    ('NOK', 'EUR')
    >>> read_report("XYZ").error
    "'XYZ' is not a currency with prices and exchange rates: choose one of the list, e.g. EUR, USD or NOK."
    """  # noqa: E501
    code = (text or "").strip().upper()
    if not code:
        return Report()
    if code not in dict(available_currencies()):
        shown = (text or "").strip()[:20]
        return Report(
            error=f"'{shown}' is not a currency with prices and exchange rates: "
            "choose one of the list, e.g. EUR, USD or NOK."
        )
    return Report(currency=code)
