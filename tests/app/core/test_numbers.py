"""One way to read numbers: decimal commas, separators, non-finite and out-of-range text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.numbers import (
    ID,
    MONEY,
    PERCENT,
    QUANTITY,
    YEAR,
    NumberError,
    NumberSpec,
    read_number,
    read_whole,
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("82,5", "82.5"),  # a decimal comma that cannot be anything else
        ("82.5", "82.5"),
        ("-0,5", "-0.5"),
        ("0,125", "0.125"),  # a thousands group never starts with 0
        ("12,3456", "12.3456"),
        ("1.234,5", "1234.5"),  # both separators: the last is the decimal mark
        ("1,234.5", "1234.5"),
        ("1,234,567", "1234567"),  # several commas can only group thousands
        ("1.234.567", "1234567"),
        ("1 234 567,25", "1234567.25"),
        ("1\u00a0234", "1234"),
        ("\u22125", "-5"),  # a typographic minus
        (" 42 ", "42"),
        ("1e5", "100000"),
        (".5", "0.5"),
    ],
)
def test_typed_numbers_are_read_without_dropping_a_separator(typed, read):
    assert read_number(typed) == Decimal(read)


@pytest.mark.parametrize("typed", ["1,234", "999,000", "-2,500"])
def test_a_comma_before_three_digits_is_refused_naming_both_readings(typed):
    with pytest.raises(NumberError) as caught:
        read_number(typed)
    message = str(caught.value)
    digits = typed.lstrip("-").replace(",", "")
    assert digits.lstrip("0") in message and typed.replace(",", ".") in message


@pytest.mark.parametrize(
    "typed",
    ["NaN", "nan", "sNaN", "-sNaN", "inf", "Infinity", "-Infinity", "1e308", "-1e308",
     "99999999999999999999999", "abc", "1.2.3", "1,23,456", "12-", "--5", "0x10", "1_000",
     "5\x00", "1,2.3,4"],
)  # fmt: skip
def test_non_numbers_non_finite_and_out_of_range_are_refused_with_what_to_type(typed):
    with pytest.raises(NumberError) as caught:
        read_number(typed)
    assert "enter" in str(caught.value) or "type" in str(caught.value)


def test_ranges_and_whole_numbers_follow_the_field():
    assert read_number("100", PERCENT) == 100
    for typed, spec in (("100.5", PERCENT), ("-1", MONEY), ("1899", YEAR), ("0", ID)):
        with pytest.raises(NumberError, match="out of range"):
            read_number(typed, spec)
    with pytest.raises(NumberError, match="not whole"):
        read_whole("2030.5", YEAR)
    assert read_whole("2,147,483,647", ID) == 2**31 - 1
    assert NumberSpec(0, 10, unit="km").describe() == "a number from 0 to 10 km"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_what_the_platform_writes_it_reads_back(number):
    assert read_number(format(number, "f"), QUANTITY) == number
    grouped = f"{number:,.4f}"  # 1,234,567.1250: thousands commas and a point
    assert read_number(grouped, QUANTITY) == number.quantize(Decimal("0.0001"))


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_never_anything_else(text):
    try:
        number = read_number(text)
    except NumberError as error:
        assert str(error)
    else:
        assert number is None or (number.is_finite() and abs(number) <= 10**15)
