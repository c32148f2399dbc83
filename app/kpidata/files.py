"""Files of KPI values read into raw rows: long CSV or XLSX, or the per-city template."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.fields import fold
from app.kpidata.checking import RawRow
from app.kpidata.template import TemplateError, is_template, read_template

__all__ = ["MAX_BYTES", "FileRefused", "KpiFile", "read_file"]

MAX_BYTES = 20 * 1024 * 1024
REQUIRED = ("city", "country", "year", "kpi_code", "value")
KNOWN = (*REQUIRED, "data_point", "unit", "source", "note", "year_basis")
ALIASES = {
    "kpi": "kpi_code",
    "code": "kpi_code",
    "indicator": "kpi_code",
    "datapoint": "data_point",
    "city_name": "city",
    "country_iso2": "country",
    "country_code": "country",
    "iso2": "country",
    "data_year": "year",
    "comment": "note",
    "notes": "note",
}


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class KpiFile:
    file_format: str  # "long" or "template"
    rows: Iterator[RawRow]
    city_id: int | None = None  # the template's city


def _column(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", fold(str(name or "")))
    return ALIASES.get(key, key)


def _columns(header: list[str], where: str) -> list[str]:
    names = [_column(h) for h in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise FileRefused(
            f"{where} has no column {', '.join(repr(m) for m in missing)}. A file of KPI values "
            f"needs the columns {', '.join(REQUIRED)} (and may have data_point, unit, source, "
            "note), as in the header row of city_kpi_values.csv; or use the per-city template."
        )
    return names


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # what Excel on Windows writes


def _csv_rows(content: bytes) -> Iterator[RawRow]:
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if not header:
        raise FileRefused("The file is empty: it has no header row and no values.")
    names = _columns(header, "The file")

    def rows() -> Iterator[RawRow]:
        for line, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield RawRow(line, dict(zip(names, cells, strict=False)))

    return rows()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


def _xlsx(content: bytes) -> KpiFile:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            f"The workbook cannot be opened ({error.__class__.__name__}). Save it again as "
            ".xlsx, or export the sheet as CSV (UTF-8)."
        ) from None
    if is_template(book):
        try:
            city_id, rows = read_template(book)
        except TemplateError as error:
            raise FileRefused(f"The template's head is damaged: {error}.") from None
        return KpiFile("template", rows, city_id)
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = next(cells, None)
    if not header:
        raise FileRefused("The workbook's first sheet is empty.")
    names = _columns([_cell(h) for h in header], f"The sheet '{sheet.title}'")

    def rows() -> Iterator[RawRow]:
        for line, values in enumerate(cells, start=2):
            texts = [_cell(v) for v in values]
            if any(t.strip() for t in texts):
                yield RawRow(line, dict(zip(names, texts, strict=False)))

    return KpiFile("long", rows())


def read_file(filename: str, content: bytes) -> KpiFile:
    """Read a CSV or XLSX file of KPI values; refuse what cannot be read, saying why."""
    if len(content) > MAX_BYTES:
        raise FileRefused(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is 20 MB. Split it "
            "into several files (for example one per city or per year) and import each."
        )
    if not content:
        raise FileRefused("The file is empty.")
    name = filename.casefold()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx(content)
    if name.endswith((".xls", ".ods", ".numbers")):
        raise FileRefused(
            f"'{filename}' is not a CSV or XLSX file. Save it as .xlsx or as CSV (UTF-8)."
        )
    if b"\x00" in content[:4096]:
        raise FileRefused(f"'{filename}' is not a text (CSV) file nor an XLSX workbook.")
    return KpiFile("long", _csv_rows(content))
