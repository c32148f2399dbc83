"""Where a parameter set comes from: the engine's built-in data or a staff-made row.

Built-in sets are looked up in :mod:`appraisal.analysis.parameters`; a staff set by its
name in the table ``parameter_set`` (the latest version unless one is named). Staff
names never repeat a built-in name, so a name says where to look.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.core.extensions import db
from app.models import City, StaffParameterSet
from appraisal.analysis.parameters import (
    ParameterSet,
    available_parameter_sets,
    get_parameter_set,
)
from appraisal.errors import InvalidParameterError

__all__ = [
    "FALLBACK_SET",
    "SetChoice",
    "builtin_names",
    "default_set_for",
    "latest_staff_rows",
    "resolve_parameter_set",
    "set_choices",
    "staff_row",
]

#: The set of a city whose country has none recorded (a country added after seeding);
#: the seed maps every other country to it too (seeds/parameter_set_by_country.csv).
FALLBACK_SET = "World Bank"


@dataclass(frozen=True)
class SetChoice:
    name: str
    version: str
    staff_made: bool

    @property
    def value(self) -> str:
        return f"{self.name}|{self.version}"

    @property
    def label(self) -> str:
        made = ", made by staff" if self.staff_made else ""
        return f"{self.name} (version {self.version}{made})"


def builtin_names() -> set[str]:
    return {name for name, _ in available_parameter_sets()}


def staff_row(name: str, version: str | None = None) -> StaffParameterSet | None:
    """The staff set's row of that version (the latest when None), or None."""
    query = sa.select(StaffParameterSet).where(StaffParameterSet.name == name)
    if version is not None:
        try:
            number = int(version)
        except ValueError:
            return None
        query = query.where(StaffParameterSet.version == number)
    return db.session.scalar(query.order_by(StaffParameterSet.version.desc()).limit(1))


def resolve_parameter_set(name: str, version: str | None = None) -> ParameterSet:
    """A built-in or staff set by name, the latest version unless one is given.

    Raises InvalidParameterError naming the sets that exist when there is no such set.
    """
    if name in builtin_names():
        return get_parameter_set(name, version)
    row = staff_row(name, version)
    if row is not None:
        return ParameterSet.from_dict(row.values)
    latest = staff_row(name)
    if latest is not None:
        raise InvalidParameterError(
            f"parameter set {name!r} has no version {version!r}; the latest is {latest.version}"
        )
    staff = [r.name for r in latest_staff_rows()]
    raise InvalidParameterError(
        f"no parameter set named {name!r}; choose one of {sorted(builtin_names()) + staff}"
    )


def latest_staff_rows() -> list[StaffParameterSet]:
    """The newest version of every staff set, by name."""
    newest = (
        sa.select(StaffParameterSet.name, sa.func.max(StaffParameterSet.version).label("v"))
        .group_by(StaffParameterSet.name)
        .subquery()
    )
    return list(
        db.session.scalars(
            sa.select(StaffParameterSet)
            .join(
                newest,
                sa.and_(
                    StaffParameterSet.name == newest.c.name,
                    StaffParameterSet.version == newest.c.v,
                ),
            )
            .order_by(StaffParameterSet.name)
        )
    )


def set_choices() -> list[SetChoice]:
    """Every built-in set and the newest version of every staff set."""
    builtin = [SetChoice(n, v, False) for n, v in available_parameter_sets()]
    staff = [SetChoice(r.name, str(r.version), True) for r in latest_staff_rows()]
    return builtin + staff


def default_set_for(city: City | None) -> str:
    """The set a city's appraisals start from: its own, else its country's."""
    if city is None:
        return FALLBACK_SET
    return city.parameter_set or city.country.parameter_set or FALLBACK_SET


def default_sets(project_ids: list[int]) -> dict[int, str]:
    """:func:`default_set_for` of each project's city, read in one query (for batches)."""
    from app.models import Country, Project

    chosen = sa.func.coalesce(City.parameter_set, Country.parameter_set, FALLBACK_SET)
    wanted = set(project_ids)
    rows = db.session.execute(
        sa.select(Project.id, chosen)
        .join(City, City.id == Project.city_id)
        .join(Country, Country.id == City.country_id)
    )
    return {pid: name for pid, name in rows if pid in wanted}
