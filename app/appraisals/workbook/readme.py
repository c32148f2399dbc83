"""The "Read me" sheet: what each sheet holds, the conventions, the price base."""

from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook

from app.appraisals.workbook.cells import (
    BOLD,
    DATA_FILL,
    FLOWS,
    FORMULA_FILL,
    INPUTS,
    PLATFORM_FILL,
    README,
    RESULTS,
    TITLE,
)
from app.appraisals.workbook.irr_start import IRR_START
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["readme_lines", "write_readme"]


def readme_lines(source: WorkbookSource, made: datetime) -> list[tuple[str, str]]:
    """(heading, text) pairs; a heading starts a block."""
    lines = [
        ("", f"Appraisal run {source.run_id} of {source.title} ({source.city})"),
    ]
    if source.illustrative:
        lines.append(
            (
                "ILLUSTRATIVE",
                "This project is illustrative: its figures are not from a real source and "
                "must not be quoted as such.",
            )
        )
    lines += [
        ("Made", f"{made:%Y-%m-%d %H:%M} UTC from the run computed on "
                 f"{source.created_at:%Y-%m-%d %H:%M} UTC (engine {source.engine_version})."),
        ("Price base and currency", f"Every amount is in {source.price_basis}; CO2 in tonnes "
                                    "of CO2-equivalent. Each number format carries its unit."),
        ("Sheets", ""),
        (INPUTS, "Every input of the run as a labelled cell with its unit and source: discount "
                 "rates, price base, horizon, residual value rule, conversion factors, the "
                 "parameter set (name, version, sources), the financing plan and PPP "
                 "assumptions. Cells the formulas use have a name (FDR, SDR, SCF, ...)."),
        (FLOWS, "One row per year: the lines as the run used them (capex, opex, replacements, "
                "revenue, residual value, economic benefits, externalities, CO2), then formula "
                "columns: net financial flow, discount factors, discounted and cumulative "
                "flows, the financing plan and the flow on national capital, the "
                "sustainability test (cash with financing, cumulated), every economic "
                "line at shadow prices, and for a PPP the CFADS, debt cover ratios and the "
                "public sector comparator; a run with VAT, working capital and profit tax "
                "has their columns, and its financial columns read them."),
        (RESULTS, "Each figure of the run page as a live formula (column B) next to the value "
                  "the platform computed (C), their difference (D) and relative difference "
                  "(E). B3 is the largest relative difference: rounding only (about 1e-12)."),
        (IRR_START, "Where each IRR formula starts its iteration: the rate at which the "
                    "NPV of its flow changes sign on a grid of rates. A spreadsheet's IRR "
                    "gives up after 20 steps from its default 10 %, e.g. on the IRRs far "
                    "below zero of services without user charges; the start is computed "
                    "from the same flows and is not a result."),
        (README, "This sheet."),
        ("Conventions", ""),
        ("Rates", "Rates are decimals (0.04 is 4 % a year), real (constant prices), shown "
                  "as percentages."),
        ("Discounting", "Period 0 (the first year) is not discounted; period t is divided by "
                        "(1 + rate)^t. A present value is written first + NPV(rate, rest), "
                        "since a spreadsheet's NPV discounts its first value by one period."),
        ("Signs", "Lines are positive amounts; costs are subtracted in the formulas. "
                  "Externalities carry their sign (+ benefit, - cost)."),
        ("IRR", "An IRR the platform found undefined (no IRR, or several) shows n/a with the "
                "reason: a spreadsheet's IRR would pick one root without saying so."),
        ("Not redone here", "The sensitivity and Monte Carlo analyses, the verdict, the sizing "
                            "of the availability payment (a goal seek on the equity IRR) and "
                            "the sculpting of the debt: their results enter as amounts "
                            "(yellow)."),
        ("Colours", "Yellow: amounts and inputs of the run. Blue: formulas. Green: the "
                    "platform's values, static."),
        ("Recalculation", "The workbook asks to be fully recalculated when opened. If "
                          "LibreOffice shows stale values, use Data > Calculate > "
                          "Recalculate Hard."),
    ]  # fmt: skip
    return lines


def write_readme(book: Workbook, source: WorkbookSource, made: datetime) -> None:
    """Fill the first sheet of ``book`` as the "Read me"."""
    sheet = book.active
    sheet.title = README
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 120
    fills = {"Yellow": DATA_FILL, "Blue": FORMULA_FILL, "Green": PLATFORM_FILL}
    for row, (heading, text) in enumerate(readme_lines(source, made), start=1):
        if row == 1:
            sheet.cell(row, 1, text).font = TITLE
            continue
        sheet.cell(row, 1, heading).font = BOLD
        sheet.cell(row, 2, text)
    base = sheet.max_row + 2
    for offset, (label, fill) in enumerate(fills.items()):
        cell = sheet.cell(base + offset, 1, label)
        cell.fill = fill
