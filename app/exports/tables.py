"""A table as a CSV or XLSX download: named columns (with units in their headers) and rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal

from flask import Response

__all__ = ["FORMATS", "download"]

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "value") and not isinstance(value, str | int | float):
        return value.value  # enums
    return value


def _csv(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header for _, header in columns])
    for row in rows:
        writer.writerow(["" if (v := _cell(row.get(key))) is None else v for key, _ in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _xlsx(title: str, columns: Sequence[tuple[str, str]], rows: Iterable[Mapping]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet")
    header = []
    for _, name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(row.get(key)) for key, _ in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(
    name: str, fmt: str, columns: Sequence[tuple[str, str]], rows: Iterable[Mapping]
) -> Response:
    """``name-YYYY-MM-DD.fmt`` holding ``rows``; ``columns`` are (key, header) pairs."""
    content = _csv(columns, rows) if fmt == "csv" else _xlsx(name, columns, rows)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    return Response(
        content,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.{fmt}"'},
    )
