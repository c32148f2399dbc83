"""A city's KPI values for one data year, in a grid of the 91 KPIs by dimension.

Staff, and the city's own committee for its city, enter and correct values here.
The grid's rows go through the same checks and the same writer as an imported file,
so a value typed here and a value imported are read alike and both keep their history.
An emptied value is removed (its history keeps it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.cities.gaps import value_years
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.permissions import can_see_city_drafts, require_role
from app.kpidata.checking import RawRow, Stored, classify, data_point_key, read_rows
from app.kpidata.recording import apply, latest_change, load_reference, stored_values
from app.models import City, Kpi, KpiValueChange, Role, User

__all__ = ["Grid", "GridRow", "GridRejected", "grid", "kpi_history", "save_grid"]


@dataclass
class GridRow:
    index: int
    kpi_id: int
    code: str
    name: str
    dimension: str
    category: str
    unit: str | None
    data_point: str
    stored: Stored | None
    earlier: tuple[float, int] | None  # the latest value of an earlier year, as a hint
    typed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """What the cell shows: what was typed, else what is stored."""
        if name in self.typed:
            return self.typed[name]
        if self.stored is None:
            return self.unit or "" if name == "unit" else ""
        if name == "value":
            return f"{self.stored.value:.12g}"
        return getattr(self.stored, name) or ""


@dataclass
class Grid:
    city: City
    year: int
    years: list[int]
    rows: list[GridRow]
    stamp: int

    def dimensions(self) -> list[tuple[str, list[GridRow]]]:
        grouped: dict[str, list[GridRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.dimension, []).append(row)
        return list(grouped.items())

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)


class GridRejected(InvalidInput):
    """Some rows were refused; the grid carries the typed values and the reasons."""

    def __init__(self, message: str, grid: Grid):
        super().__init__(message)
        self.grid = grid


def editable_city(user: User, city_id: int) -> City:
    require_role(user, Role.STAFF, Role.CITY)
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}. Pick one from the list of cities.")
    if not can_see_city_drafts(user, city_id):
        raise PermissionDenied(
            "Only staff and the city's own committee can enter this city's KPI values."
        )
    return city


def _rows(city_id: int, year: int) -> list[GridRow]:
    reference = load_reference(city_ids=[city_id])
    stored = stored_values([city_id])
    kpis = {k.id: k for k in db.session.scalars(select(Kpi).order_by(Kpi.id))}
    earlier: dict[tuple[int, str], tuple[float, int]] = {}
    for (_, kpi_id, point, when), value in sorted(stored.items(), key=lambda i: i[0][3]):
        if when < year:
            earlier[(kpi_id, point)] = (value.value, when)
    rows: list[GridRow] = []
    for ref in reference.kpis.values():
        kpi = kpis[ref.id]
        for point in ("", *ref.data_points):
            key = data_point_key(point)
            rows.append(
                GridRow(
                    index=len(rows),
                    kpi_id=ref.id,
                    code=ref.code,
                    name=ref.name,
                    dimension=kpi.dimension,
                    category=kpi.category,
                    unit=ref.unit,
                    data_point=point,
                    stored=stored.get((city_id, ref.id, key, year)),
                    earlier=earlier.get((ref.id, key)),
                )
            )
    return rows


def _year(year: int | None) -> int:
    this_year = date.today().year
    if year is None:
        return this_year - 1
    if not 1950 <= year <= this_year:
        raise InvalidInput(f"Choose a data year between 1950 and {this_year}.")
    return year


def grid(user: User, city_id: int, year: int | None = None) -> Grid:
    city = editable_city(user, city_id)
    year = _year(year)
    return Grid(city, year, value_years(city_id), _rows(city_id, year), latest_change(city_id))


def save_grid(
    user: User, city_id: int, year: int | None, typed: Mapping[int, Mapping[str, str]], stamp: int
) -> int:
    """Write the grid's values for the year; returns the number of changes.

    ``typed`` maps a row index to its cells (value, unit, source, note). Rows not
    in ``typed`` are left alone. All or nothing: a refused cell writes nothing.
    """
    page = grid(user, city_id, year)
    for row in page.rows:
        if row.index in typed:
            row.typed = {k: (v or "").strip() for k, v in typed[row.index].items()}
    if stamp != page.stamp:
        raise Conflict(
            "Someone else changed this city's KPI values since you opened the grid. Nothing of "
            "yours was saved; your entries are still in the grid: reload to see theirs, then "
            "enter yours again."
        )
    raw, removals = [], []
    for row in page.rows:
        if row.index not in typed:
            continue
        cells = row.typed
        if not cells.get("value"):
            if row.stored is not None:
                removals.append(
                    ((city_id, row.kpi_id, data_point_key(row.data_point), page.year), row.stored)
                )
            continue
        fields = {
            "kpi_code": row.code, "data_point": row.data_point, "year": str(page.year),
            "value": cells.get("value", ""), "unit": cells.get("unit", ""),
            "source": cells.get("source", ""), "note": cells.get("note", ""),
        }  # fmt: skip
        if row.stored is not None and row.stored.year_basis:
            fields["year_basis"] = row.stored.year_basis
        raw.append(RawRow(row.index, fields, city_id=city_id))
    reference = load_reference(city_ids=[city_id])
    observations, rejected, _ = read_rows(raw, reference)
    if rejected:
        for refusal in rejected:
            page.rows[refusal.line].errors[refusal.column] = refusal.reason
        raise GridRejected(
            f"{len(rejected)} values could not be saved (see the marked rows). Nothing was "
            "saved; correct them and save again.",
            page,
        )
    stored = {k: v for k, v in stored_values([city_id]).items() if k[3] == page.year}
    preview = classify(observations, stored)
    written = apply(preview, user_id=user.id, via="grid", removals=removals)
    db.session.commit()
    return written


@dataclass(frozen=True)
class HistoryPage:
    city: City
    kpi: Kpi
    changes: list[tuple[KpiValueChange, str | None]]  # the change and who made it


def kpi_history(user: User, city_id: int, kpi_id: int) -> HistoryPage:
    """Every change to the city's values of one KPI, latest first, with who made it."""
    city = editable_city(user, city_id)
    kpi = db.session.get(Kpi, kpi_id)
    if kpi is None:
        raise NotFound("There is no such city or KPI. Pick one from the city's profile.")
    rows = db.session.execute(
        select(KpiValueChange, User.email)
        .outerjoin(User, User.id == KpiValueChange.user_id)
        .where(KpiValueChange.city_id == city_id, KpiValueChange.kpi_id == kpi_id)
        .order_by(KpiValueChange.id.desc())
    ).all()
    return HistoryPage(city, kpi, [(change, email) for change, email in rows])
