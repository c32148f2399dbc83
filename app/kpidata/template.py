"""The per-city workbook the platform hands out: one row per KPI (and data point) with
its unit, filled in by the city and uploaded back to /imports."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.core.numbers import db_id
from app.imports.tables import RawRow, cell_text

__all__ = ["MARK", "SHEET", "TemplateRow", "is_template", "read_template", "write_template"]

MARK = "USC KPI values template"
SHEET = "KPI values"
HEADER_ROW = 8
COLUMNS = (
    "kpi_code",
    "kpi_name",
    "dimension",
    "data_point",
    "unit",
    "value",
    "year",
    "source",
    "note",
)
EDITABLE = {"unit", "value", "year", "source", "note"}


@dataclass(frozen=True)
class TemplateRow:
    kpi_code: str
    kpi_name: str
    dimension: str
    data_point: str
    unit: str
    value: float | None = None
    source: str | None = None
    note: str | None = None


def write_template(
    *, city_id: int, city_name: str, country_iso2: str, year: int, rows: Iterable[TemplateRow]
) -> bytes:
    """The workbook for one city and data year, with the values already held prefilled."""
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = SHEET
    sheet["A1"], sheet["B1"] = MARK, "version 1"
    sheet["A1"].font = Font(bold=True, size=13)
    heads = (
        ("City", city_name),
        ("Country (ISO)", country_iso2),
        ("City id (do not change)", city_id),
        ("Data year (for rows with no year)", year),
        ("Source (for rows with no source)", None),
    )
    for offset, (label, value) in enumerate(heads, start=2):
        sheet.cell(offset, 1, label).font = Font(bold=True)
        sheet.cell(offset, 2, value)
    editable = PatternFill("solid", fgColor="FFF8DC")
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, name)
        cell.font = Font(bold=True)
    line = HEADER_ROW
    for row in rows:
        line += 1
        values = (
            row.kpi_code, row.kpi_name, row.dimension, row.data_point, row.unit,
            row.value, None, row.source, row.note,
        )  # fmt: skip
        for column, (name, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = sheet.cell(line, column, value)
            if name in EDITABLE:
                cell.fill = editable
    for column, width in zip("ABCDEFGHI", (18, 44, 12, 18, 34, 14, 8, 40, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"F{HEADER_ROW + 1}"
    notes = book.create_sheet("Read me")
    for i, text in enumerate(
        (
            MARK,
            f"For {city_name} ({country_iso2}); upload it back on the platform's Imports page.",
            "Fill in the yellow columns: the value, and the unit if you use another one.",
            "Rows left without a value are not imported. The data year and source at the top apply",
            "to every row whose own year or source is empty. Yes/no KPIs take yes or no.",
            "Units may be spelled as in your report (e.g. 'per 100 000 inhabitants'); a unit that",
            "measures something else is refused with the reason, and nothing is written.",
        ),
        start=1,
    ):
        notes.cell(i, 1, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def is_template(book) -> bool:
    return SHEET in book.sheetnames and cell_text(book[SHEET]["A1"].value) == MARK


class TemplateError(ValueError):
    """The workbook looks like the template but its head is damaged."""


def read_template(book) -> tuple[int, Iterator[RawRow]]:
    """The city id the template is for, and its filled rows as raw rows."""
    sheet = book[SHEET]
    head = {row: cell_text(sheet.cell(row, 2).value) for row in range(2, 7)}
    try:
        city_id = db_id(head[4])
    except ValueError:
        raise TemplateError(
            f"cell B4 (the city id) says '{head[4]}': download a fresh template for the city"
        ) from None
    default_year, default_source = head[5], head[6]

    def rows() -> Iterator[RawRow]:
        for line, cells in enumerate(
            sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=len(COLUMNS), values_only=True),
            start=HEADER_ROW + 1,
        ):
            fields = dict(zip(COLUMNS, (cell_text(c) for c in cells), strict=False))
            if not any(fields.values()):
                continue
            fields["year"] = fields.get("year") or default_year
            fields["source"] = fields.get("source") or default_source
            yield RawRow(line, fields, city_id=city_id)

    return city_id, rows()
