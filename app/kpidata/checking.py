"""Rows of KPI values checked against the reference: each one an observation or a refusal.

Pure: the reference (KPIs, cities, countries) and the values already stored are
handed in, so the same checks serve the file importer, the grid and the seed. A row
is refused with its row number, column and reason; nothing about the database here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from app.core.fields import TextError, clean_text, fold
from app.core.numbers import QUANTITY, NumberError, read_number
from app.imports.tables import CellRefused, Preview, RawRow, Rejection
from app.kpidata.units import UnitError, read_unit

__all__ = [
    "MAX_VALUE",
    "CityRef",
    "KpiRef",
    "Observation",
    "Preview",
    "RawRow",
    "Reference",
    "Rejection",
    "Stored",
    "classify",
    "data_point_key",
    "normalise_kpi_code",
    "read_rows",
]

MAX_VALUE = 1e12  # no U4SSC KPI comes near; a larger number is a typing slip
SHARE_MEASURES = ("%",)


@lru_cache(maxsize=4096)
def normalise_kpi_code(code: str) -> str:
    """The canonical U4SSC code: parts separated by ': ' (variants without spaces accepted).

    >>> normalise_kpi_code("sc:eh: ED:1C")
    'SC: EH: ED: 1C'
    """
    return ": ".join(part.strip() for part in code.upper().split(":"))


@lru_cache(maxsize=4096)
def data_point_key(name: str) -> str:
    """Data points match without case or spaces: 'PM 2.5' is 'PM2.5'.

    >>> data_point_key("PM 2.5") == data_point_key("pm2.5")
    True
    """
    return re.sub(r"\s+", "", name.casefold())


@dataclass(frozen=True)
class KpiRef:
    id: int
    code: str
    name: str
    unit: str | None
    direction: str
    data_points: tuple[str, ...] = ()  # canonical spellings; empty: any data point goes


@dataclass(frozen=True)
class CityRef:
    id: int
    name: str
    country_iso2: str


@dataclass(frozen=True)
class Stored:
    """A value already in the database (what a row would change)."""

    id: int
    data_point: str
    value: float
    unit: str | None
    source: str | None
    note: str | None
    year_basis: str | None


@dataclass
class Reference:
    kpis: dict[str, KpiRef]  # by canonical code
    cities: dict[tuple[str, str], CityRef]  # by (folded name, ISO2)
    cities_by_id: dict[int, CityRef]
    countries: dict[str, str]  # folded name, ISO2 or ISO3 (lower case) -> ISO2
    this_year: int


@dataclass(frozen=True)
class Observation:
    line: int
    city_id: int
    city_name: str
    kpi_id: int
    kpi_code: str
    data_point: str
    year: int
    value: float
    unit: str | None
    source: str | None
    note: str | None
    year_basis: str | None
    converted: str = ""  # how a unit was converted, "" when written in the KPI's unit

    @property
    def key(self) -> tuple[int, int, str, int]:
        return (self.city_id, self.kpi_id, data_point_key(self.data_point), self.year)


LENGTHS = {"data_point": 120, "year_basis": 120, "unit": 120, "source": 2000, "note": 2000}


def _text(fields: Mapping[str, str], name: str) -> str:
    value = fields.get(name)
    try:
        return clean_text(None if value is None else str(value), max_length=LENGTHS.get(name, 300))
    except TextError as error:
        raise CellRefused(name, str(error)) from None


def _city(row: RawRow, ref: Reference) -> CityRef:
    if row.city_id is not None:
        city = ref.cities_by_id.get(row.city_id)
        if city is None:
            raise CellRefused("city", f"there is no city {row.city_id} any more")
        return city
    name, country = _text(row.fields, "city"), _text(row.fields, "country")
    if not name:
        raise CellRefused("city", "the city is empty")
    if not country:
        raise CellRefused("country", "the country is empty: give its name or ISO code")
    iso2 = ref.countries.get(fold(country))
    if iso2 is None:
        raise CellRefused(
            "country", f"'{country}' is not a country name nor an ISO 3166 code we know"
        )
    city = ref.cities.get((fold(name), iso2))
    if city is None:
        raise CellRefused(
            "city",
            f"'{name}' ({iso2}) is not a city of the platform: add it first on /cities/new "
            f'or with: usc city add --name "{name}" --country {iso2}',
        )
    return city


def _kpi(fields: Mapping[str, str], ref: Reference) -> KpiRef:
    code = _text(fields, "kpi_code")
    if not code:
        raise CellRefused("kpi_code", "the KPI code is empty")
    kpi = ref.kpis.get(normalise_kpi_code(code))
    if kpi is None:
        raise CellRefused("kpi_code", f"'{code}' is not a U4SSC KPI code (e.g. 'EC: ICT: ICT: 1C')")
    return kpi


def _data_point(fields: Mapping[str, str], kpi: KpiRef) -> str:
    written = _text(fields, "data_point")
    if not written or not kpi.data_points:
        return written
    for known in kpi.data_points:
        if data_point_key(known) == data_point_key(written):
            return known
    raise CellRefused(
        "data_point",
        f"'{written}' is not a data point of {kpi.code}; its data points are "
        + ", ".join(kpi.data_points),
    )


def _year(fields: Mapping[str, str], ref: Reference) -> tuple[int, str | None]:
    text = _text(fields, "year")
    match = re.fullmatch(r"(\d{4})(?:\.0)?(?:[-/](\d{1,2})(?:[-/]\d{1,2})?)?", text)
    if not match:
        raise CellRefused("year", f"'{text}' is not a year (write it as 2024, or 2024-06)")
    year = int(match.group(1))
    if year < 1950:
        raise CellRefused("year", f"{year} is before 1950: check the year")
    if year > ref.this_year:
        raise CellRefused("year", f"{year} is in the future: a value is for a year that has passed")
    basis = _text(fields, "year_basis")
    if text != str(year):
        basis = f"{text}: {basis}" if basis else text
    return year, basis or None


def _value(fields: Mapping[str, str], kpi: KpiRef) -> float:
    text = _text(fields, "value")
    lowered = text.casefold()
    if kpi.direction == "boolean" or (kpi.unit or "").startswith("yes/no"):
        if lowered in {"yes", "y", "true", "1", "1.0"}:
            return 1.0
        if lowered in {"no", "n", "false", "0", "0.0"}:
            return 0.0
        raise CellRefused("value", f"'{text}' is not yes or no ({kpi.code} is a yes/no KPI)")
    cleaned = text.rstrip("%").strip()
    if cleaned.casefold().lstrip("+-") in {"nan", "inf", "infinity"}:
        raise CellRefused("value", f"'{text}' is not a finite number")
    try:  # the platform's one reader: "84,51", "12 000", and "1,234" refused as ambiguous
        return float(read_number(cleaned, QUANTITY))
    except NumberError as error:
        raise CellRefused("value", str(error)) from None


def _in_range(value: float, kpi: KpiRef, written: str) -> None:
    if value < 0:
        raise CellRefused("value", f"{written} is negative; {kpi.code} cannot be below 0")
    if value > MAX_VALUE:
        raise CellRefused("value", f"{written} is larger than any {kpi.code} can be (max 10^12)")
    unit = (kpi.unit or "").strip()
    if unit.startswith(SHARE_MEASURES) and value > 100:
        raise CellRefused("value", f"{written} % is over 100 % (the share of a whole)")
    if unit.startswith("coefficient 0-1") and value > 1:
        raise CellRefused("value", f"{written} is over 1 (the coefficient runs from 0 to 1)")


def _observation(row: RawRow, ref: Reference) -> Observation | None:
    fields = row.fields
    if not _text(fields, "value"):
        return None
    city = _city(row, ref)
    kpi = _kpi(fields, ref)
    data_point = _data_point(fields, kpi)
    year, basis = _year(fields, ref)
    value = _value(fields, kpi)
    written_unit = _text(fields, "unit")
    try:
        reading = read_unit(written_unit, kpi.code, kpi.unit)
    except UnitError as error:
        raise CellRefused("unit", str(error)) from None
    value *= reading.factor
    _in_range(value, kpi, f"{value:g}")
    note = _text(fields, "note") or None
    converted = ""
    if reading.how:
        converted = f"{_text(fields, 'value')} {written_unit}: {reading.how}"
    return Observation(
        line=row.line,
        city_id=city.id,
        city_name=city.name,
        kpi_id=kpi.id,
        kpi_code=kpi.code,
        data_point=data_point,
        year=year,
        value=value,
        unit=kpi.unit,
        source=_text(fields, "source") or None,
        note=note,
        year_basis=basis,
        converted=converted,
    )


def _summary(fields: Mapping[str, str]) -> str:
    parts = [
        str(fields.get(name) or "").strip()
        for name in ("city", "kpi_code", "data_point", "year", "value")
    ]
    text = " · ".join(part for part in parts if part)[:160]
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def read_rows(
    rows: Iterable[RawRow], ref: Reference
) -> tuple[list[Observation], list[Rejection], int]:
    """Observations, refusals (row, column, reason) and the count of rows without a value."""
    observations: list[Observation] = []
    rejections: list[Rejection] = []
    skipped = 0
    first_line: dict[tuple, int] = {}
    for row in rows:
        try:
            observation = _observation(row, ref)
        except CellRefused as refused:
            rejections.append(
                Rejection(row.line, refused.column, refused.reason, _summary(row.fields))
            )
            continue
        if observation is None:
            skipped += 1
            continue
        earlier = first_line.setdefault(observation.key, row.line)
        if earlier != row.line:
            rejections.append(
                Rejection(
                    row.line,
                    "kpi_code",
                    f"a duplicate of row {earlier} (same city, KPI, data point and year)",
                    _summary(row.fields),
                )
            )
            continue
        observations.append(observation)
    return observations, rejections, skipped


def _same(observation: Observation, stored: Stored) -> bool:
    close = math.isclose(observation.value, stored.value, rel_tol=1e-12, abs_tol=1e-12)
    return (
        close
        and observation.data_point == stored.data_point
        and (observation.unit or None) == (stored.unit or None)
        and observation.source == stored.source
        and observation.note == stored.note
        and observation.year_basis == stored.year_basis
    )


def classify(
    observations: Iterable[Observation],
    stored: Mapping[tuple[int, int, str, int], Stored],
    rejected: list[Rejection] | None = None,
    skipped: int = 0,
) -> Preview:
    """New, changed (with the stored value) and unchanged observations."""
    preview = Preview(rejected=list(rejected or ()), skipped=skipped)
    for observation in observations:
        before = stored.get(observation.key)
        if before is not None and observation.year_basis is None:
            # a file without a year basis (the template, the grid) keeps the stored one
            observation = replace(observation, year_basis=before.year_basis)
        if before is None:
            preview.new.append(observation)
        elif _same(observation, before):
            preview.unchanged.append(observation)
        else:
            preview.changed.append((observation, before))
    return preview
