"""The "Results" sheet: each figure (:mod:`.figures`) as a live formula (column B) next
to the value the platform computed (C, static), their difference (D) and relative
difference (E); B3 is the largest relative difference."""

from __future__ import annotations

import re
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from app.appraisals.workbook.cells import (
    BOLD,
    FORMULA_FILL,
    PLATFORM_FILL,
    RATE,
    RESULTS,
    TITLE,
    WRAP,
    Layout,
    money_format,
)
from app.appraisals.workbook.figures import Figures, Result, platform_value
from app.appraisals.workbook.method_figures import method_sections
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["FIRST_RESULT_ROW", "HEADS", "write_results"]

FIRST_RESULT_ROW = 6
RATIO6 = "0.000000"
DIFF = "0.00E+00"
HEADS = (
    ("Figure", 44),
    ("Workbook (formula)", 22),
    ("Platform value", 22),
    ("Difference (B - C)", 14),
    ("Relative difference", 12),
    ("How", 60),
    ("Platform field", 44),
    ("IRR iteration starts at", 14),
)
_REF = re.compile(r"<(\w+)>")


def write_results(
    book: Workbook,
    source: WorkbookSource,
    layout: Layout,
    starts: Mapping[str, str],
    extra: list[tuple[str, list[Result]]] = (),
) -> None:
    """Add the "Results" sheet (and the names EUGrant and DebtAmount the flows read);
    ``extra``: more sections (the financing plan's)."""
    sheet = book.create_sheet(RESULTS)
    sheet["A1"] = f"Results of appraisal run {source.run_id}: {source.title}"
    sheet["A1"].font = TITLE
    sheet["A2"] = (
        f"Amounts in {source.price_basis}; rates are decimals shown as percentages. "
        "Column B computes each figure here; C is the value the platform computed."
    )
    formats = {"money": money_format(source.currency, 2), "rate": RATE, "ratio": RATIO6}
    for column, (head, width) in enumerate(HEADS, start=1):
        cell = sheet.cell(FIRST_RESULT_ROW - 1, column, head)
        cell.font = BOLD
        sheet.column_dimensions[cell.column_letter].width = width
    sections = Figures(source, layout, starts).sections()
    more = [*method_sections(source, layout, starts), *extra]
    sections += [(h, rows) for h, rows in more if rows]
    placed: dict[str, int] = {}
    row = FIRST_RESULT_ROW - 1
    for _, results in sections:  # first the rows, so a figure can name a later one
        row += 2
        for result in results:
            row += 1
            placed[result.key] = row
    row = FIRST_RESULT_ROW - 1
    for heading, results in sections:
        row += 2
        sheet.cell(row, 1, heading).font = BOLD
        for result in results:
            row += 1
            _write_row(sheet, row, result, source.results, formats[result.kind], placed)
            if result.name:
                ref = f"{quote_sheetname(RESULTS)}!$B${row}"
                book.defined_names[result.name] = DefinedName(result.name, attr_text=ref)
    sheet["A3"] = "Largest relative difference"
    sheet["B3"] = f"=MAX(E{FIRST_RESULT_ROW}:E{row})"
    sheet["B3"].number_format = DIFF
    sheet.freeze_panes = f"B{FIRST_RESULT_ROW}"


def _write_row(sheet, row: int, result: Result, results: Mapping, fmt: str, placed) -> None:
    platform = platform_value(results, result.field)
    sheet.cell(row, 1, result.label)
    sheet.cell(row, 6, result.how).alignment = WRAP
    sheet.cell(row, 7, ".".join(result.field))
    if platform is None:  # an undefined IRR (other figures the run lacks are left out)
        note = platform_value(results, result.note_field) or "undefined"
        sheet.cell(row, 2, "n/a")
        sheet.cell(row, 3, f"n/a: {note}")
        return
    formula = result.formula
    if result.guess:
        sheet.cell(row, 8, result.guess).number_format = RATE
        formula = formula.replace("<guess>", f"$H${row}")
    formula = _REF.sub(lambda m: f"$B${placed[m.group(1)]}", formula)
    cell = sheet.cell(row, 2, formula)
    cell.number_format, cell.fill = fmt, FORMULA_FILL
    cell = sheet.cell(row, 3, platform)
    cell.number_format, cell.fill = fmt, PLATFORM_FILL
    sheet.cell(row, 4, f"=B{row}-C{row}").number_format = DIFF
    sheet.cell(row, 5, f"=IF(C{row}=0,ABS(D{row}),ABS(D{row}/C{row}))").number_format = DIFF
