"""Tables from uploaded files: CSV (any common delimiter and encoding) or an XLSX sheet,
read into raw rows with their spreadsheet row numbers and normalised column names."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from app.core.fields import fold

__all__ = [
    "MAX_BYTES",
    "FileRefused",
    "RawRow",
    "Table",
    "check_size",
    "open_workbook",
    "read_table",
]

MAX_BYTES = 20 * 1024 * 1024


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class RawRow:
    """One row as read from a file or a form: text fields by column name."""

    line: int
    fields: Mapping[str, str]
    city_id: int | None = None  # set by the per-city KPI template and the KPI grid


@dataclass(frozen=True)
class Rejection:
    """A refused row: its row number, the column at fault and why."""

    line: int
    column: str
    reason: str
    row: str  # what the row said, shortly


class CellRefused(ValueError):
    """A cell that cannot be taken: the column and why (the row becomes a Rejection)."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


@dataclass
class Preview:
    """What an import would do: new rows, changed ones (with what is stored), unchanged
    ones, refused rows, and rows skipped for having nothing to import."""

    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (row, what is stored) pairs
    unchanged: list = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: int = 0

    @property
    def writes(self) -> int:
        return len(self.new) + len(self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected),
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class Table:
    """What a table needs: its required columns, the other known ones, and aliases."""

    what: str  # "a file of KPI values"
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""  # where the format is described

    def column(self, name: object) -> str:
        key = re.sub(r"[\s\-]+", "_", fold(str(name or "")))
        return self.aliases.get(key, key)

    def columns(self, header: list, where: str) -> list[str]:
        names = [self.column(h) for h in header]
        missing = [name for name in self.required if name not in names]
        if missing:
            raise FileRefused(
                f"{where} has no column {', '.join(repr(m) for m in missing)}. {self.what} "
                f"needs the columns {', '.join(self.required)}"
                + (f" (and may have {', '.join(self.optional)})" if self.optional else "")
                + (f"; {self.hint}" if self.hint else "")
                + "."
            )
        return names


def check_size(filename: str, content: bytes) -> None:
    if len(content) > MAX_BYTES:
        raise FileRefused(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is 20 MB. Split it "
            "into several files (for example one per city or per year) and import each."
        )
    if not content:
        raise FileRefused("The file is empty.")
    if filename.casefold().endswith((".xls", ".ods", ".numbers")):
        raise FileRefused(
            f"'{filename}' is not a CSV or XLSX file. Save it as .xlsx or as CSV (UTF-8)."
        )


def is_workbook(filename: str, content: bytes) -> bool:
    return filename.casefold().endswith(".xlsx") or content[:2] == b"PK"


def open_workbook(content: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            f"The workbook cannot be opened ({error.__class__.__name__}). Save it again as "
            ".xlsx, or export the sheet as CSV (UTF-8)."
        ) from None


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # what Excel on Windows writes


def _csv_rows(content: bytes, table: Table) -> Iterator[RawRow]:
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if not header:
        raise FileRefused("The file is empty: it has no header row and no rows.")
    names = table.columns(header, "The file")

    def rows() -> Iterator[RawRow]:
        for line, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield RawRow(line, dict(zip(names, cells, strict=False)))

    return rows()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value).strip()


def sheet_rows(sheet, table: Table) -> Iterator[RawRow]:
    cells = sheet.iter_rows(values_only=True)
    header = next(cells, None)
    if not header:
        raise FileRefused(f"The sheet '{sheet.title}' is empty.")
    names = table.columns([cell_text(h) for h in header], f"The sheet '{sheet.title}'")

    def rows() -> Iterator[RawRow]:
        for line, values in enumerate(cells, start=2):
            texts = [cell_text(v) for v in values]
            if any(texts):
                yield RawRow(line, dict(zip(names, texts, strict=False)))

    return rows()


def read_table(filename: str, content: bytes, table: Table) -> tuple[str, Iterator[RawRow]]:
    """("csv" or "xlsx", the rows) of a file holding one table (an XLSX: its first sheet)."""
    check_size(filename, content)
    if is_workbook(filename, content):
        return "xlsx", sheet_rows(open_workbook(content).worksheets[0], table)
    if b"\x00" in content[:4096]:
        raise FileRefused(f"'{filename}' is not a text (CSV) file nor an XLSX workbook.")
    return "csv", _csv_rows(content, table)
