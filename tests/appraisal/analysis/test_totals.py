"""Totals in one reporting currency: hand-computed sums, groups, parts left out."""

import pytest

from appraisal.analysis.totals import Part, total_in
from appraisal.errors import CurrencyDataError


def test_mixed_currencies_sum_in_euro_by_hand():
    parts = [
        Part(1_000_000.0, "EUR", 2024),
        Part(1_500_000.0, "USD", 2024),
        Part(500_000.0, "USD", 2024),
        Part(10_000_000.0, "NOK", 2015),
    ]
    t = total_in(parts, "EUR", 2024)
    nok = 10_000_000 * 145.109 / 108.587 / 10.74583333 / 1.0824
    assert t.value == pytest.approx(1_000_000 + 2_000_000 / 1.0824 + nok, rel=1e-8)
    assert [(c.currency, c.year, c.amount) for c in t.conversions] == [
        ("NOK", 2015, 10_000_000.0),
        ("USD", 2024, 2_000_000.0),
    ]
    assert t.complete and t.assumptions == ()
    lines = t.describe()
    assert "USD 2,000,000.00 (2024 prices) = EUR 1,847,745.75" in lines[1]
    assert "/ 1.0824 USD per EUR" in lines[1]


def test_a_part_without_data_is_left_out_and_named():
    t = total_in([Part(5.0, "TWD", 2020), Part(2.0, "EUR", 2024)], "EUR", 2024)
    assert t.value == 2.0 and not t.complete
    ((part, reason),) = t.left_out
    assert part.currency == "TWD" and "Taiwan" in reason


def test_a_later_reporting_year_carries_the_assumption():
    t = total_in([Part(100.0, "TND", 2024)], "SAR", 2026)
    assert t.assumptions[0] == "assumed: 2024 inflation of 7.2 % carried forward to 2026"
    assert t.value == pytest.approx(100 * (220.171 / 205.37) ** 2 / 3.10745 * 3.75, rel=1e-4)


def test_a_reporting_currency_without_data_is_refused():
    with pytest.raises(CurrencyDataError, match="'XYZ'"):
        total_in([Part(1.0, "EUR", 2024)], "XYZ", 2024)


def test_nothing_to_sum_is_zero():
    assert total_in([], "NOK", 2024).value == 0.0
