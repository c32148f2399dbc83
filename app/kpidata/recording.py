"""KPI values into the database, every change kept with who, when, how and the value before.

One writer serves the importer, the grid and the seed: it takes a checked
:class:`~app.kpidata.checking.Preview` (and, for the grid, values to remove) and
writes them in bulk within the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, insert, select, update

from app.core.extensions import db
from app.core.fields import fold
from app.kpidata.checking import (
    CityRef,
    KpiRef,
    Preview,
    Reference,
    Stored,
    data_point_key,
)
from app.models import City, Country, Kpi, KpiTarget, KpiValue, KpiValueChange
from app.models.base import utcnow

__all__ = ["apply", "latest_change", "load_reference", "stored_values"]


def _data_points(kpi: Kpi, targeted: dict[int, list[str]]) -> tuple[str, ...]:
    names = list(targeted.get(kpi.id, []))
    for name in (kpi.data_points or "").split(";"):
        name = name.strip()
        if name and data_point_key(name) not in {data_point_key(n) for n in names}:
            names.append(name)
    return tuple(names)


def load_reference(*, city_ids: Iterable[int] | None = None) -> Reference:
    """KPIs, cities and countries as the checks need them (cities limited when given)."""
    targeted: dict[int, list[str]] = {}
    for kpi_id, name in db.session.execute(
        select(KpiTarget.kpi_id, KpiTarget.data_point)
        .where(KpiTarget.data_point != "", KpiTarget.city_id.is_(None))
        .distinct()
        .order_by(KpiTarget.kpi_id, KpiTarget.data_point)
    ):
        known = targeted.setdefault(kpi_id, [])
        if data_point_key(name) not in {data_point_key(n) for n in known}:
            known.append(name)
    kpis = {
        kpi.code: KpiRef(
            kpi.id, kpi.code, kpi.name, kpi.unit, kpi.direction.value, _data_points(kpi, targeted)
        )
        for kpi in db.session.scalars(select(Kpi).order_by(Kpi.id))
    }
    countries: dict[str, str] = {}
    for iso2, iso3, name in db.session.execute(select(Country.iso2, Country.iso3, Country.name)):
        countries[fold(name)] = iso2
        countries[iso2.casefold()] = iso2
        countries[iso3.casefold()] = iso2
    query = select(City.id, City.name, Country.iso2).join(Country)
    if city_ids is not None:
        query = query.where(City.id.in_(list(city_ids)))
    cities, by_id = {}, {}
    for city_id, name, iso2 in db.session.execute(query):
        ref = CityRef(city_id, name, iso2)
        cities[(fold(name), iso2)] = ref
        by_id[city_id] = ref
    return Reference(kpis, cities, by_id, countries, date.today().year)


def stored_values(city_ids: Iterable[int]) -> dict[tuple[int, int, str, int], Stored]:
    """The values already held for these cities, keyed as observations are."""
    ids = sorted(set(city_ids))
    found: dict[tuple[int, int, str, int], Stored] = {}
    for start in range(0, len(ids), 500):
        for row in db.session.execute(
            select(
                KpiValue.id,
                KpiValue.city_id,
                KpiValue.kpi_id,
                KpiValue.data_point,
                KpiValue.year,
                KpiValue.value,
                KpiValue.unit,
                KpiValue.source,
                KpiValue.note,
                KpiValue.year_basis,
            ).where(KpiValue.city_id.in_(ids[start : start + 500]))
        ):
            key = (row.city_id, row.kpi_id, data_point_key(row.data_point), row.year)
            found[key] = Stored(
                row.id, row.data_point, row.value, row.unit, row.source, row.note, row.year_basis
            )
    return found


def latest_change(city_id: int) -> int:
    """The id of the city's latest value change (0 if none): the grid's stamp."""
    return db.session.scalar(
        select(func.coalesce(func.max(KpiValueChange.id), 0)).where(
            KpiValueChange.city_id == city_id
        )
    )


def _change(observation, action: str, before: Stored | None, common: dict) -> dict:
    return {
        "city_id": observation.city_id,
        "kpi_id": observation.kpi_id,
        "data_point": observation.data_point,
        "year": observation.year,
        "action": action,
        "old_value": before.value if before else None,
        "old_unit": before.unit if before else None,
        "old_source": before.source if before else None,
        "old_note": before.note if before else None,
        "new_value": observation.value,
        "new_unit": observation.unit,
        "new_source": observation.source,
        "new_note": observation.note,
        **common,
    }


def _fields(observation) -> dict:
    return {
        "data_point": observation.data_point,
        "value": observation.value,
        "unit": observation.unit,
        "source": observation.source,
        "note": observation.note,
        "year_basis": observation.year_basis,
        "illustrative": False,
    }


def apply(
    preview: Preview,
    *,
    user_id: int | None,
    via: str,
    import_id: int | None = None,
    removals: Iterable[tuple[tuple[int, int, str, int], Stored]] = (),
) -> int:
    """Write the new and changed values (and remove ``removals``); returns the changes made.

    The caller commits (or rolls back): all of it lands, or none of it.
    """
    common = {"user_id": user_id, "via": via[:200], "import_id": import_id, "at": utcnow()}
    changes = []
    if preview.new:
        db.session.execute(
            insert(KpiValue),
            [
                {"city_id": o.city_id, "kpi_id": o.kpi_id, "year": o.year, **_fields(o)}
                for o in preview.new
            ],
        )
        changes += [_change(o, "create", None, common) for o in preview.new]
    if preview.changed:
        db.session.execute(
            update(KpiValue), [{"id": before.id, **_fields(o)} for o, before in preview.changed]
        )
        changes += [_change(o, "update", before, common) for o, before in preview.changed]
    for (city_id, kpi_id, _, year), before in removals:
        db.session.execute(delete(KpiValue).where(KpiValue.id == before.id))
        changes.append(
            {
                "city_id": city_id,
                "kpi_id": kpi_id,
                "data_point": before.data_point,
                "year": year,
                "action": "delete",
                "old_value": before.value,
                "old_unit": before.unit,
                "old_source": before.source,
                "old_note": before.note,
                **common,
            }
        )
    if changes:
        db.session.execute(insert(KpiValueChange), changes)
    return len(changes)
