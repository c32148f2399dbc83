"""One way to read a typed number, for every form, query parameter, import and API.

A number is read from its text as a finite :class:`~decimal.Decimal` within the range
of its field (:class:`NumberSpec`), or refused with a message that says what is wrong
and what to type instead. Nothing typed is silently changed:

- spaces (also non-breaking and thin ones) group thousands: ``1 234 567``;
- a point is the decimal separator: ``82.5``;
- a lone comma is a decimal comma where it cannot mean anything else: ``82,5`` is
  82.5, but ``1,234`` could be 1234 or 1.234 and is refused with both readings named;
- with both separators the last one is the decimal mark and the other must group
  thousands by three: ``1.234,5`` and ``1,234.5`` are both 1234.5;
- ``NaN``, ``Infinity`` and numbers beyond the field's range are refused.

>>> read_number("82,5")
Decimal('82.5')
>>> read_number("1.234,5")
Decimal('1234.5')
>>> read_number("1,234")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
app.core.numbers.NumberError: '1,234' could be 1234 (comma between thousands) or 1.234 ...
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = [
    "NumberError",
    "NumberSpec",
    "read_number",
    "read_whole",
    "MONEY",
    "SIGNED_MONEY",
    "UNIT_COST",
    "PERCENT",
    "SIGNED_PERCENT",
    "YEAR",
    "COUNT",
    "QUANTITY",
    "ID",
    "PAGE",
]

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007'"), None)
_MINUS = {ord("\u2212"): "-", ord("\u2013"): "-"}
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?")


def _grouped(text: str, separator: str) -> bool:
    """Whether ``text`` is digits grouped by three with ``separator`` (1,234,567)."""
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(separator) + r"\d{3})+", text) is not None


class NumberError(ValueError):
    """A typed number that cannot be read; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class NumberSpec:
    """What a field accepts: a closed range, whole numbers or not, and its unit."""

    low: Decimal | float | int
    high: Decimal | float | int
    whole: bool = False
    unit: str = ""
    example: str = "12.5"

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} from {_plain(self.low)} to {_plain(self.high)}{unit}"


def _plain(value) -> str:
    """A bound as people write it: powers of ten from 10^9 up, else plain digits.

    >>> _plain(Decimal("1E+15")), _plain(2030), _plain(0.5), _plain(2**31 - 1)
    ('10^15', '2030', '0.5', '2,147,483,647')
    """
    number = Decimal(str(value))
    exponent = number.copy_abs().log10() if number else Decimal(0)
    if abs(number) >= Decimal("1e9") and exponent == exponent.to_integral_value():
        return f"{'-' if number < 0 else ''}10^{int(exponent)}"
    if number == number.to_integral_value():
        return f"{int(number):,}" if abs(number) >= 10_000 else str(int(number))
    return format(number.normalize(), "f")


def _canonical(text: str) -> str:
    """The text with grouping spaces removed and separators resolved, or NumberError."""
    body = text.translate(_SPACES).translate(_MINUS)
    sign = ""
    if body and body[0] in "+-":
        sign, body = body[0], body[1:]
    if body.count(",") and body.count("."):
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if decimal_mark == "," else ","
        whole, _, fraction = body.rpartition(decimal_mark)
        if not _grouped(whole, group):
            raise NumberError(
                f"'{text}' mixes '{group}' and '{decimal_mark}' in a way that is not a number: "
                f"type digits with one decimal point, e.g. 1234.5."
            )
        return f"{sign}{whole.replace(group, '')}.{fraction}"
    if body.count(",") == 1:
        whole, fraction = body.split(",")
        if len(fraction) == 3 and whole.isdigit() and 1 <= len(whole) <= 3 and whole[0] != "0":
            reading = f"{whole}{fraction}".lstrip("0") or "0"
            raise NumberError(
                f"'{text}' could be {sign}{reading} (comma between thousands) or "
                f"{sign}{whole}.{fraction} (decimal comma): type {sign}{reading} or "
                f"{sign}{whole}.{fraction}."
            )
        return f"{sign}{whole}.{fraction}"
    for group in (",", "."):
        if body.count(group) > 1:
            if not _grouped(body, group):
                raise NumberError(
                    f"'{text}' has several '{group}' that do not group thousands: type "
                    "digits with one decimal point, e.g. 1234.5."
                )
            return f"{sign}{body.replace(group, '')}"
    return f"{sign}{body}"


def read_number(text: object, spec: NumberSpec | None = None) -> Decimal | None:
    """The number typed in ``text``, or None when it is blank.

    Raises :class:`NumberError` with a message naming the text and what to type.

    >>> read_number(" 1 234,5 ")
    Decimal('1234.5')
    >>> read_number("") is None
    True
    >>> read_number("150", PERCENT)
    Traceback (most recent call last):
    ...
    app.core.numbers.NumberError: '150' is out of range: enter a number from 0 to 100 %.
    """
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    if not stripped:
        return None
    spec = spec or QUANTITY
    if any(unicodedata.category(ch)[0] == "C" for ch in stripped) or len(stripped) > 60:
        raise NumberError(f"This is not a number: enter {spec.describe()}, e.g. {spec.example}.")
    canonical = _canonical(stripped)
    if not _PLAIN.fullmatch(canonical):
        raise NumberError(
            f"'{stripped}' is not a number: enter {spec.describe()}, e.g. {spec.example}."
        )
    try:
        number = Decimal(canonical)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise NumberError(f"'{stripped}' is not a number.") from None
    if not Decimal(str(spec.low)) <= number <= Decimal(str(spec.high)):
        raise NumberError(f"'{stripped}' is out of range: enter {spec.describe()}.")
    if spec.whole and number != number.to_integral_value():
        raise NumberError(f"'{stripped}' is not whole: enter {spec.describe()}.")
    return number


def read_whole(text: object, spec: NumberSpec) -> int | None:
    """:func:`read_number` for whole numbers, as an int.

    >>> read_whole("2030", YEAR)
    2030
    >>> read_whole("99999999999999999999999", ID)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    app.core.numbers.NumberError: '99999999999999999999999' is out of range: ...
    """
    number = read_number(text, spec)
    return None if number is None else int(number)


#: Money in a project's currency (the database holds 18 digits before the point).
MONEY = NumberSpec(0, Decimal("1e15"), unit="(currency units)", example="125000")
#: Money that may be negative (externalities, a net flow).
SIGNED_MONEY = NumberSpec(Decimal("-1e15"), Decimal("1e15"), example="-2500")
#: A cost per unit (per inhabitant, per km ...).
UNIT_COST = NumberSpec(0, Decimal("1e12"), example="12.5")
#: A share or rate typed in per cent.
PERCENT = NumberSpec(0, 100, unit="%", example="35")
#: A rate typed in per cent that may be negative (escalation, a real rate).
SIGNED_PERCENT = NumberSpec(-99, 1000, unit="%", example="4")
#: A calendar year.
YEAR = NumberSpec(1900, 2200, whole=True, example="2030")
#: A count of things (years, projects, partners ...).
COUNT = NumberSpec(0, 1_000_000, whole=True, example="20")
#: Any physical quantity (a KPI value, tonnes of CO2): finite and not absurd.
QUANTITY = NumberSpec(Decimal("-1e15"), Decimal("1e15"), example="42.5")
#: A database id (PostgreSQL's integer).
ID = NumberSpec(1, 2**31 - 1, whole=True, example="12")
#: A page number of a list.
PAGE = NumberSpec(1, 1_000_000, whole=True, example="2")


def db_id(text: object) -> int:
    """A database id typed in a URL or form, for werkzeug's ``type=``: ValueError if not one.

    >>> db_id("12"), db_id(" 7 ")
    (12, 7)
    """
    number = read_whole(text, ID)
    if number is None:
        raise NumberError("No id was given.")
    return number


def positive_quantity(text: object) -> float:
    """A quantity above 0 for werkzeug's ``type=`` (a prefill): ValueError otherwise."""
    number = read_number(text, QUANTITY)
    if number is None or number <= 0:
        raise NumberError("Give a quantity above 0.")
    return float(number)


def page_number(text: object) -> int:
    """A page number for werkzeug's ``type=``: ValueError when it is not one."""
    number = read_whole(text, PAGE)
    if number is None:
        raise NumberError("No page number was given.")
    return number
