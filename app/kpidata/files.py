"""Files of KPI values read into raw rows: long CSV or XLSX, or the per-city template."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.imports.tables import (
    FileRefused,
    RawRow,
    Table,
    check_size,
    is_workbook,
    open_workbook,
    read_table,
    sheet_rows,
)
from app.kpidata.template import TemplateError, is_template, read_template

__all__ = ["KPI_TABLE", "KpiFile", "read_file"]

KPI_TABLE = Table(
    what="A file of KPI values",
    required=("city", "country", "year", "kpi_code", "value"),
    optional=("data_point", "unit", "source", "note"),
    aliases={
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
    },
    hint="as in the header row of city_kpi_values.csv; or use the per-city template",
)


@dataclass(frozen=True)
class KpiFile:
    file_format: str  # "long" or "template"
    rows: Iterator[RawRow]
    city_id: int | None = None  # the template's city


def read_file(filename: str, content: bytes) -> KpiFile:
    """Read a CSV or XLSX file of KPI values; refuse what cannot be read, saying why."""
    check_size(filename, content)
    if is_workbook(filename, content):
        book = open_workbook(content)
        if is_template(book):
            try:
                city_id, rows = read_template(book)
            except TemplateError as error:
                raise FileRefused(f"The template's head is damaged: {error}.") from None
            return KpiFile("template", rows, city_id)
        return KpiFile("long", sheet_rows(book.worksheets[0], KPI_TABLE))
    _, rows = read_table(filename, content, KPI_TABLE)
    return KpiFile("long", rows)
