"""Typed reading of seed CSV files: a bad cell names its file, row and column."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.core.errors import SeedError

Parser = Callable[[str], object]


def text(value: str) -> str | None:
    value = value.strip()
    return value or None


def required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("is empty but required")
    return value


def integer(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number") from None
    if not number.is_integer():
        raise ValueError(f"'{value}' is not a whole number")
    return int(number)


def required_integer(value: str) -> int:
    result = integer(value)
    if result is None:
        raise ValueError("is empty but a whole number is required")
    return result


def number(value: str) -> float | None:
    value = value.strip().replace(",", "") if value.count(",") and "." in value else value.strip()
    if not value:
        return None
    try:
        result = float(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    if not math.isfinite(result):
        raise ValueError(f"'{value}' is not a finite number")
    return result


def required_number(value: str) -> float:
    result = number(value)
    if result is None:
        raise ValueError("is empty but a number is required")
    return result


def decimal(value: str) -> Decimal | None:
    result = number(value)
    if result is None:
        return None
    try:
        return Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number") from None


def yes_no(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"yes", "true", "1", "y"}:
        return True
    if lowered in {"", "no", "false", "0", "n"}:
        return False
    raise ValueError(f"'{value}' is neither yes nor no")


def items(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def integers(value: str) -> list[int]:
    result = []
    for part in items(value):
        try:
            result.append(int(part))
        except ValueError:
            raise ValueError(f"'{part}' in '{value}' is not a whole number") from None
    return result


def one_of(*allowed: str) -> Parser:
    def parse(value: str) -> str:
        value = value.strip()
        if value not in allowed:
            raise ValueError(f"'{value}' is not one of {', '.join(allowed)}")
        return value

    return parse


#: The columns that name a row of each file: two rows with the same key are an error
#: (the last would silently win otherwise).
KEYS: dict[str, tuple[str, ...]] = {
    "sectors.csv": ("slug",),
    "u4ssc_kpis.csv": ("code",),
    "kpi_sectors.csv": ("kpi_code", "sector_slug"),
    "kpi_targets.csv": ("kpi_code", "target_year"),
    "kpi_targets_datapoints.csv": ("kpi_code", "data_point", "target_year"),
    "sdg_goals.csv": ("goal",),
    "sdg_targets.csv": ("code",),
    "sdg_indicators.csv": ("code",),
    "countries.csv": ("iso2",),
    "parameter_set_by_country.csv": ("country_iso2",),
    "cities.csv": ("slug",),
    "city_kpi_values.csv": ("city", "country", "year", "kpi_code", "data_point"),
    "solution_catalogue.csv": ("sector", "solution", "unit"),
    "demo/cities.csv": ("slug",),
    "demo/kpi_ranges.csv": ("kpi_code", "income_group", "data_point"),
    "demo/experts.csv": ("slug",),
    "demo/partners.csv": ("slug",),
    "demo/projects.csv": ("slug",),
}


def read_rows(root: Path, relative: str, columns: dict[str, Parser]) -> Iterator[tuple[int, dict]]:
    """Yield (row number, parsed row); row 1 is the header, as a spreadsheet shows it.

    A second row with the key of an earlier one (:data:`KEYS`) is a SeedError naming
    the file, both rows and the key's columns.
    """
    key_columns = KEYS[relative]
    first_row: dict[tuple, int] = {}
    path = root / relative
    name = f"seeds/{relative}"
    if not path.exists():
        raise SeedError(name, None, None, "the file is missing")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise SeedError(name, 1, missing[0], "the header lacks this column")
        for line, raw in enumerate(reader, start=2):
            key = tuple((raw.get(column) or "").strip().casefold() for column in key_columns)
            if key in first_row:
                raise SeedError(
                    name,
                    line,
                    ", ".join(key_columns),
                    f"this row repeats the key of row {first_row[key]} "
                    f"({', '.join(f'{c} = {raw.get(c)!r}' for c in key_columns)}); keep one of "
                    "the two rows",
                )
            first_row[key] = line
            parsed = {}
            for column, parse in columns.items():
                cell = raw.get(column)
                if cell is None:
                    raise SeedError(name, line, column, "the row is too short")
                try:
                    parsed[column] = parse(cell)
                except ValueError as error:
                    raise SeedError(name, line, column, str(error)) from None
            yield line, parsed


class Lookup:
    """Resolves natural keys to rows, raising a SeedError that names the cell."""

    def __init__(self, what: str, mapping: dict):
        self.what = what
        self.mapping = mapping

    def get(self, key, file: str, line: int, column: str):
        try:
            return self.mapping[key]
        except KeyError:
            raise SeedError(file, line, column, f"unknown {self.what} '{key}'") from None
