"""What the sheets of a run workbook share: the column layout of "Cash flows", the
number formats (each with its unit) and the few styles.

A :class:`Column` of the cash-flow sheet is either data (the yearly amounts the run
used) or a formula template in which ``{key}`` is the cell of column ``key`` in the
same row, ``{key@prev}`` the one in the row above, ``{key*}`` the whole column (every
year) and ``{key>}`` the column from this row to the last year; :class:`Layout` gives
each column its letter and turns templates and ranges into A1 references.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

__all__ = [
    "DATA_FILL",
    "FACTOR",
    "FIRST_ROW",
    "FLOWS",
    "FORMULA_FILL",
    "GROUP_ROW",
    "HEADER_ROW",
    "BOLD",
    "INPUTS",
    "PLATFORM_FILL",
    "RATE",
    "RATIO",
    "README",
    "RESULTS",
    "TITLE",
    "TONNES",
    "WRAP",
    "Column",
    "Layout",
    "money_format",
    "per_unit_format",
]

INPUTS, FLOWS, RESULTS, README = "Inputs", "Cash flows", "Results", "Read me"

GROUP_ROW, HEADER_ROW, FIRST_ROW = 4, 5, 6  # rows of the "Cash flows" sheet

RATE = "0.000%"  # a decimal shown as a percentage: 0.04 reads 4.000%
RATIO = "0.000"
FACTOR = "0.000000000"
TONNES = '#,##0.0 "tCO2e"'

TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATA_FILL = PatternFill("solid", fgColor="FFF2CC")  # amounts and inputs of the run
FORMULA_FILL = PatternFill("solid", fgColor="DDEBF7")  # computed in the workbook
PLATFORM_FILL = PatternFill("solid", fgColor="E2EFDA")  # static values of the platform


def money_format(currency: str, decimals: int = 0) -> str:
    """E.g. ``#,##0 "EUR"``: the amount with its currency in every cell."""
    digits = "." + "0" * decimals if decimals else ""
    return f'#,##0{digits} "{_plain(currency)}";-#,##0{digits} "{_plain(currency)}"'


def per_unit_format(currency: str, unit: str) -> str:
    return f'#,##0.00 "{_plain(currency)}/{_plain(unit)}"'


def _plain(text: str) -> str:
    """Text safe inside a quoted number-format literal."""
    return re.sub(r'["\\]', "", text)


@dataclass(frozen=True)
class Column:
    """One column of the "Cash flows" sheet.

    ``values`` (data) or ``formula`` (a template, see the module docstring) is set;
    ``first`` replaces ``formula`` in the first year row (a running total starts there).
    """

    key: str
    header: str
    unit: str
    number_format: str
    group: str
    values: Sequence[float] | None = None
    formula: str | None = None
    first: str | None = None
    width: float = 14.0


_PLACEHOLDER = re.compile(r"\{(\w+)(@prev|\*|>)?\}")


class Layout:
    """Letters, cells and ranges of the "Cash flows" columns for ``years`` year rows."""

    def __init__(self, columns: Sequence[Column], years: int):
        self.columns = list(columns)
        self.years = years
        self._letters = {
            column.key: get_column_letter(index) for index, column in enumerate(columns, start=1)
        }
        if len(self._letters) != len(self.columns):
            raise ValueError("two columns of the cash-flow sheet share a key")
        self.last_row = FIRST_ROW + years - 1

    def __contains__(self, key: str) -> bool:
        return key in self._letters

    def letter(self, key: str) -> str:
        return self._letters[key]

    def row(self, period: int) -> int:
        """The sheet row of period ``period`` (0 is the first year)."""
        return FIRST_ROW + period

    def fill(self, template: str, row: int) -> str:
        """A row formula from a template (see the module docstring)."""

        def cell(match: re.Match) -> str:
            letter, how = self._letters[match.group(1)], match.group(2)
            if how == "*":
                return f"${letter}${FIRST_ROW}:${letter}${self.last_row}"
            if how == ">":
                return f"{letter}{row}:${letter}${self.last_row}"
            return f"{letter}{row - 1 if how else row}"

        return _PLACEHOLDER.sub(cell, template)

    def cell(self, key: str, period: int) -> str:
        """The absolute, sheet-qualified cell of ``key`` in period ``period``."""
        return f"{quote_sheetname(FLOWS)}!${self._letters[key]}${self.row(period)}"

    def range(self, key: str, start: int = 0, stop: int | None = None) -> str:
        """Sheet-qualified absolute range of periods ``start`` to ``stop - 1`` (or the end)."""
        stop = self.years if stop is None else stop
        letter = self._letters[key]
        first, last = self.row(start), self.row(stop - 1)
        return f"{quote_sheetname(FLOWS)}!${letter}${first}:${letter}${last}"

    def present_value(self, key: str, rate: str) -> str:
        """``first + NPV(rate, rest)``: the engine's convention, period 0 not discounted."""
        if self.years == 1:
            return self.cell(key, 0)
        return f"{self.cell(key, 0)}+NPV({rate},{self.range(key, 1)})"
