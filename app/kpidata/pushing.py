"""KPI values pushed by a city's own systems (its statistics office) through the API.

The same checks as the grid and the imports (units, years, duplicates, lengths) and the
same writer with its history; all or nothing; staff, or the city's own committee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.errors import InvalidInput
from app.core.extensions import db
from app.imports.tables import RawRow
from app.kpidata.checking import classify, read_rows
from app.kpidata.grid import editable_city
from app.kpidata.recording import apply, load_reference, stored_values
from app.models import User

__all__ = ["FIELDS", "MAX_VALUES", "PushResult", "ValuesRefused", "push_values"]

#: What a pushed value may carry (the import's long format without city and country).
FIELDS = ("kpi_code", "data_point", "year", "year_basis", "value", "unit", "source", "note")
MAX_VALUES = 10_000


@dataclass(frozen=True)
class PushResult:
    counts: dict[str, int]  # new, changed, unchanged, rejected, skipped
    written: int
    dry_run: bool


class ValuesRefused(InvalidInput):
    """Values the checks refuse; ``errors`` maps ``values.<index>.<field>`` to reasons."""

    status = 422

    def __init__(self, errors: Mapping[str, list[str]], count: int):
        super().__init__(
            f"{count} values are refused (see errors: values.<index>.<field>). Nothing was "
            "written; correct them and send all the values again."
        )
        self.errors = dict(errors)


def _text(value) -> str:
    return "" if value is None else str(value)


def push_values(
    user: User, city_id: int, values: Sequence[Mapping], *, dry_run: bool = False
) -> PushResult:
    """Check and write ``values`` of one city (each a mapping of :data:`FIELDS`)."""
    city = editable_city(user, city_id)
    if not values:
        raise InvalidInput("Send at least one value in 'values'.")
    if len(values) > MAX_VALUES:
        raise InvalidInput(
            f"Send at most {MAX_VALUES:,} values at a time (got {len(values):,}); split them."
        )
    raw = [
        RawRow(index, {name: _text(value.get(name)) for name in FIELDS}, city_id=city.id)
        for index, value in enumerate(values)
    ]
    observations, rejected, skipped = read_rows(raw, load_reference(city_ids=[city.id]))
    if rejected:
        errors: dict[str, list[str]] = {}
        for refusal in rejected:
            errors.setdefault(f"values.{refusal.line}.{refusal.column}", []).append(refusal.reason)
        raise ValuesRefused(errors, len(rejected))
    preview = classify(observations, stored_values([city.id]), skipped=skipped)
    if dry_run:
        db.session.rollback()
        return PushResult(preview.counts(), 0, True)
    written = apply(preview, user_id=user.id, via=f"API ({user.email})")
    db.session.commit()
    return PushResult(preview.counts(), written, False)
