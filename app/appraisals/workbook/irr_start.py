"""The "IRR start" sheet: where each IRR formula of "Results" starts its iteration.

A spreadsheet's IRR is Newton's method from a guess (10 % by default), and gives up
after 20 steps (Excel and LibreOffice alike). From 10 % it fails on the IRRs far below
zero that public services without user charges have (-30 % to -70 %, set by a residual
value), and Newton may run away from a root on the far side of a steep NPV curve. So
each IRR starts where the flow's NPV changes sign on a grid of rates from -99 % to
1,000 %, interpolated between the two grid rates: a starting point computed here from
the same flows, not a result. The IRR itself is still the spreadsheet's.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname

from app.appraisals.workbook.cells import BOLD, FACTOR, RATE, TITLE, WRAP, Layout

__all__ = ["GRID", "IRR_SERIES", "IRR_START", "write_irr_start"]

IRR_START = "IRR start"
#: The flow columns whose IRR "Results" shows, with the figure's name.
IRR_SERIES = {
    "net": "FRR/C",
    "k_flow": "FRR/K",
    "k_after_tax": "FRR/K after tax",
    "e_net": "ERR",
    "project_flow": "Project IRR",
    "equity_flow": "Equity IRR",
}
#: Rates of the grid: -99 % to 99 % by 1 %, then 100 % to 1,000 % by 25 %.
GRID = [round(k / 100 - 0.99, 2) for k in range(199)] + [1.0 + k / 4 for k in range(37)]
_START_ROW, _FIRST = 4, 7


def write_irr_start(book: Workbook, layout: Layout) -> dict[str, str]:
    """Add the sheet; the cell holding the starting rate of each IRR series, by column key."""
    sheet = book.create_sheet(IRR_START)
    sheet["A1"] = "Where each IRR of the Results sheet starts its iteration"
    sheet["A1"].font = TITLE
    sheet["A2"] = (
        "A spreadsheet's IRR gives up after 20 Newton steps from its guess. Each IRR starts "
        "where the NPV of its flow changes sign on this grid of rates (interpolated): a "
        "starting point from the same flows, not a result."
    )
    sheet["A2"].alignment = WRAP
    sheet[f"A{_START_ROW}"] = "IRR starts at"
    sheet[f"A{_START_ROW}"].font = BOLD
    sheet[f"A{_FIRST - 1}"] = "Rate"
    sheet[f"A{_FIRST - 1}"].font = BOLD
    last = _FIRST + len(GRID) - 1
    for offset, rate in enumerate(GRID):
        sheet.cell(_FIRST + offset, 1, rate).number_format = RATE
    periods = layout.range("t")
    starts: dict[str, str] = {}
    column = 2
    for key, figure in IRR_SERIES.items():
        if key not in layout:
            continue
        npv_letter, cross_letter = get_column_letter(column), get_column_letter(column + 1)
        sheet.cell(_FIRST - 2, column, figure).font = BOLD
        sheet.cell(_FIRST - 1, column, "NPV at the rate").font = BOLD
        sheet.cell(_FIRST - 1, column + 1, "Sign change at").font = BOLD
        flows = layout.range(key)
        for row in range(_FIRST, last + 1):
            npv = f"=SUMPRODUCT({flows},(1+$A{row})^(-{periods}))"
            sheet.cell(row, column, npv).number_format = "0.00E+00"
            if row < last:
                a, b, nxt = f"$A{row}", f"{npv_letter}{row}", f"{npv_letter}{row + 1}"
                cross = f'=IF(SIGN({b})<>SIGN({nxt}),{a}-{b}*($A{row + 1}-{a})/({nxt}-{b}),"")'
                sheet.cell(row, column + 1, cross).number_format = FACTOR
        start = sheet.cell(
            _START_ROW,
            column,
            f"=IFERROR(AVERAGE({cross_letter}{_FIRST}:{cross_letter}{last}),0.1)",
        )
        start.number_format = RATE
        starts[key] = f"{quote_sheetname(IRR_START)}!${npv_letter}${_START_ROW}"
        sheet.column_dimensions[npv_letter].width = 14
        sheet.column_dimensions[cross_letter].width = 14
        column += 2
    sheet.freeze_panes = f"B{_FIRST}"
    return starts
