"""Sum amounts held in several currencies and price years in one reporting currency.

A pipeline or a set of bundles holds money in each project's (or bundle's) own
currency and price base. A total is only meaningful in one of each: every part is
brought there with :func:`appraisal.analysis.price_base.convert_cost` (inflation in
its own currency, then the reporting year's rate), and the total keeps each part's
conversion so the rate and year used can be shown beside it. A part whose currency
has no data is left out of the total and listed with the reason, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from appraisal.analysis.price_base import PriceBaseConversion, convert_cost
from appraisal.errors import PriceBaseError

__all__ = ["Part", "ReportedTotal", "total_in"]


@dataclass(frozen=True)
class Part:
    """An amount as held, in its currency and price base year."""

    amount: float
    currency: str
    price_base_year: int


@dataclass(frozen=True)
class ReportedTotal:
    """Parts summed in ``currency`` at ``price_base_year`` prices.

    Attributes
    ----------
    value : float
        The sum of the converted parts.
    conversions : tuple[PriceBaseConversion, ...]
        One per (currency, year) group that needed converting, with its steps.
    left_out : tuple[tuple[Part, str], ...]
        Parts that could not be converted, each with the reason.
    """

    currency: str
    price_base_year: int
    value: float
    conversions: tuple[PriceBaseConversion, ...] = ()
    left_out: tuple[tuple[Part, str], ...] = ()

    @property
    def complete(self) -> bool:
        return not self.left_out

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every assumed value (beyond the data) used by the conversions, once each."""
        said = (one for c in self.conversions for a in c.assumptions for one in a.split("; "))
        return tuple(dict.fromkeys(said))

    def describe(self) -> list[str]:
        """One line per converted group: its amount, factor, rate and year, assumptions.

        Examples
        --------
        >>> t = total_in([Part(100.0, "EUR", 2024)], "USD", 2024)
        >>> t.describe()
        ['EUR 100.00 (2024 prices) = USD 108.24: EUR -> USD at the 2024 average rate: x 1.0824 USD per EUR']
        """  # noqa: E501
        lines = []
        for conv in self.conversions:
            steps = "; ".join(s.description for s in conv.steps if s.factor != 1.0 or s.assumption)
            lines.append(
                f"{conv.currency} {conv.amount:,.2f} ({conv.year} prices) = "
                f"{conv.to_currency} {conv.value:,.2f}" + (f": {steps}" if steps else "")
            )
        return lines


def total_in(parts: Iterable[Part], currency: str, price_base_year: int) -> ReportedTotal:
    """Sum ``parts`` in ``currency`` at ``price_base_year`` prices.

    Parts of one currency and year are added first and converted once, so the factor
    shown is the one applied. The reporting currency itself must have data
    (:class:`~appraisal.errors.CurrencyDataError` otherwise); a part that cannot be
    converted is listed in ``left_out``.

    Examples
    --------
    >>> t = total_in([Part(1e6, "EUR", 2024), Part(1e6, "USD", 2024)], "EUR", 2024)
    >>> round(t.value, 2), len(t.conversions)
    (1923872.88, 1)
    """
    convert_cost(0.0, currency, price_base_year, to_currency=currency, to_year=price_base_year)
    grouped: dict[tuple[str, int], float] = {}
    for part in parts:
        key = (part.currency, int(part.price_base_year))
        grouped[key] = grouped.get(key, 0.0) + float(part.amount)
    value, conversions, left_out = 0.0, [], []
    for (cur, year), amount in sorted(grouped.items()):
        if cur == currency and year == price_base_year:
            value += amount
            continue
        try:
            conv = convert_cost(amount, cur, year, to_currency=currency, to_year=price_base_year)
        except PriceBaseError as error:
            left_out.append((Part(amount, cur, year), str(error)))
            continue
        value += conv.value
        conversions.append(conv)
    return ReportedTotal(currency, price_base_year, value, tuple(conversions), tuple(left_out))
