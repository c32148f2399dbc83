"""Listing parameter sets, copying one, saving a new version of a staff set, and
choosing a city's default set. The only code here that commits.

A staff set is saved as a new row per version; every value that differs from the
version it was made from needs a source, and values outside sense (a discount rate
below 0 or above 20 %, a conversion factor <= 0 or above 3) are refused on their field.
A save made from a version that is no longer the latest is a :class:`Conflict` (409).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.concurrency import check_version
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.models import City, StaffParameterSet, User
from app.parameter_sets.registry import (
    builtin_names,
    default_set_for,
    latest_staff_rows,
    resolve_parameter_set,
    set_choices,
    staff_row,
)
from appraisal.analysis.parameter_types import carbon_path_to_dict
from appraisal.analysis.parameters import (
    EDITABLE_VALUES,
    CarbonPricePath,
    ParameterSet,
    available_parameter_sets,
    get_parameter_set,
    sense_problems,
)
from appraisal.errors import InvalidParameterError

__all__ = [
    "CarbonEdit",
    "SetEdit",
    "SetRefused",
    "city_set_context",
    "copy_set",
    "list_sets",
    "save_version",
    "set_city_parameter_set",
    "set_for_editing",
]

NAME_LENGTH = 60


class SetRefused(InvalidInput):
    """A save refused for reasons that belong to fields: ``fields`` maps each to its message."""

    def __init__(self, fields: Mapping[str, str]):
        super().__init__("Some values need fixing: see the messages next to the fields.")
        self.fields = dict(fields)


@dataclass(frozen=True)
class CarbonEdit:
    points: tuple[tuple[int, float], ...]
    currency: str
    price_base_year: int


@dataclass(frozen=True)
class SetEdit:
    """What a form sends: values (rates as decimals), a source per changed value."""

    values: Mapping[str, float]
    sources: Mapping[str, str] = field(default_factory=dict)
    carbon: CarbonEdit | None = None
    carbon_source: str = ""
    note: str = ""


def list_sets() -> list[dict]:
    """Every set, built-in then staff-made, with its values, sources and history."""
    out = [
        {"params": get_parameter_set(n, v), "staff": None, "history": []}
        for n, v in available_parameter_sets()
    ]
    for row in latest_staff_rows():
        history = list(
            db.session.scalars(
                sa.select(StaffParameterSet)
                .where(StaffParameterSet.name == row.name)
                .order_by(StaffParameterSet.version.desc())
            )
        )
        out.append({"params": ParameterSet.from_dict(row.values), "staff": row, "history": history})
    return out


def set_for_editing(user: User, name: str, version: str | None = None) -> ParameterSet:
    """The set a copy or edit form starts from (staff only)."""
    require_staff(user)
    try:
        return resolve_parameter_set(name, version)
    except InvalidParameterError as error:
        raise NotFound(str(error)) from None


def _revised(base: ParameterSet, name: str, version: str, edit: SetEdit) -> ParameterSet:
    """``base`` with the edit's changes under a new name or version; every change sourced."""
    errors = dict(sense_problems(edit.values))
    data = base.to_dict() | {"name": name, "version": version}
    sources = dict(base.sources)
    for key in EDITABLE_VALUES:
        value = edit.values.get(key)
        if value is None or key in errors or value == getattr(base, key):
            continue
        source = (edit.sources.get(key) or "").strip()
        if not source:
            errors[key] = "This value differs from the set it comes from: give its source."
        data[key] = value
        sources[key] = source
    carbon, old = edit.carbon, base.carbon_price
    if carbon and (carbon.points, carbon.currency, carbon.price_base_year) != (
        old.points,
        old.currency,
        old.price_base_year,
    ):
        source = edit.carbon_source.strip()
        try:
            path = CarbonPricePath(carbon.points, carbon.currency, carbon.price_base_year, source)
        except InvalidParameterError as error:
            errors["carbon_price"] = str(error)
        else:
            if not source:
                errors["carbon_price"] = "The carbon price path changed: give its source."
            data["carbon_price"] = carbon_path_to_dict(path)
            sources["carbon_price"] = source
    if errors:
        raise SetRefused(errors)
    data["sources"] = sources
    if name != base.name:
        data["notes"] = f"copied from {base.name} (version {base.version}). {base.notes}".strip()
    return ParameterSet.from_dict(data)


def _keep(user: User, params: ParameterSet, version: int, base: ParameterSet, note: str):
    row = StaffParameterSet(
        name=params.name,
        version=version,
        based_on_name=base.name,
        based_on_version=base.version,
        values=params.to_dict(),
        change_note=note.strip() or None,
        created_by_id=user.id,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            f"Version {version} of {params.name!r} was saved by someone else at the same "
            "moment; nothing of yours was written. Reload the page and make your change again."
        ) from None
    audit.record(
        "save_parameter_set",
        "parameter_set",
        row.id,
        {"name": row.name, "version": version, "based_on": f"{base.name} {base.version}"},
        user_id=user.id,
    )
    db.session.commit()
    return row


def copy_set(
    user: User, base_name: str, base_version: str | None, new_name: str, edit: SetEdit
) -> StaffParameterSet:
    """A new staff set (version 1) made from any set, with the changes in ``edit``."""
    base = set_for_editing(user, base_name, base_version)
    name = " ".join((new_name or "").split())
    if not name:
        raise SetRefused({"name": "Give the copy a name of its own."})
    if len(name) > NAME_LENGTH:
        raise SetRefused({"name": f"Keep the name to {NAME_LENGTH} characters."})
    if "|" in name:
        raise SetRefused({"name": "Leave '|' out of the name: it separates name and version."})
    if name in builtin_names() or staff_row(name) is not None:
        raise SetRefused(
            {"name": f"A set named {name!r} exists: choose another name, or edit that set."}
        )
    params = _revised(base, name, "1", edit)
    return _keep(user, params, 1, base, edit.note)


def save_version(
    user: User, name: str, opened_version: int | None, edit: SetEdit
) -> StaffParameterSet:
    """The next version of a staff set; 409 when it was saved again since it was opened."""
    require_staff(user)
    latest = staff_row(name)
    if latest is None:
        if name in builtin_names():
            raise InvalidInput(
                f"{name!r} is a built-in set and is not edited: copy it, then edit the copy."
            )
        raise NotFound(f"There is no staff-made parameter set named {name!r}.")
    check_version(latest, opened_version, "parameter set")
    base = ParameterSet.from_dict(latest.values)
    params = _revised(base, name, str(latest.version + 1), edit)
    return _keep(user, params, latest.version + 1, base, edit.note)


def _city(city_id: int) -> City:
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}.")
    return city


def city_set_context(user: User, city_id: int) -> dict:
    """The city, the choices for its default set and what it uses now (staff only)."""
    require_staff(user)
    city = _city(city_id)
    return {
        "city": city,
        "choices": set_choices(),
        "current": default_set_for(city),
        "own": city.parameter_set,
        "country_set": city.country.parameter_set,
    }


def set_city_parameter_set(user: User, city_id: int, name: str | None) -> City:
    """Choose the set a city's appraisals start from; None follows its country again."""
    require_staff(user)
    city = _city(city_id)
    name = (name or "").strip() or None
    if name is not None:
        try:
            resolve_parameter_set(name)
        except InvalidParameterError as error:
            raise SetRefused({"parameter_set": str(error)}) from None
    before = city.parameter_set
    city.parameter_set = name
    audit.record(
        "set_parameter_set",
        "city",
        city.id,
        {"parameter_set": [before, name]},
        user_id=user.id,
    )
    db.session.commit()
    return city
