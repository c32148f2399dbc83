"""KPI values as an import kind: files read, checked and compared with what is stored.

The /imports page and ``usc import kpis`` run it (:mod:`app.imports`): a preview first,
then an all-or-nothing commit; importing the same file again changes nothing.
"""

from __future__ import annotations

import hashlib

from app.core.errors import InvalidInput
from app.core.formatting import number
from app.imports.kinds import ImportKind
from app.kpidata.checking import Observation, Preview, classify, read_rows
from app.kpidata.files import FileRefused, read_file
from app.kpidata.recording import apply, load_reference, stored_values

__all__ = ["KPI_VALUES", "digest", "preview_bytes", "summary_of"]

SHOWN = {"rejected": 1000, "changed": 500, "new": 300, "unchanged": 100}


def preview_bytes(filename: str, content: bytes) -> tuple[Preview, str]:
    """Read and check a file against what is stored; raises InvalidInput for unreadable files."""
    try:
        kpi_file = read_file(filename, content)
        reference = load_reference()
        if kpi_file.city_id is not None and kpi_file.city_id not in reference.cities_by_id:
            raise FileRefused(
                f"This template is for city {kpi_file.city_id}, which is not on the platform "
                "any more. Download a fresh template from the city's KPI page."
            )
        observations, rejected, skipped = read_rows(kpi_file.rows, reference)
    except FileRefused as error:
        raise InvalidInput(str(error)) from None
    stored = stored_values({o.city_id for o in observations})
    return classify(observations, stored, rejected, skipped), kpi_file.file_format


def digest(preview: Preview) -> str:
    """What a commit would write: the same digest means the same writes."""
    lines = sorted(
        f"{o.key}|{o.value!r}|{o.unit}|{o.source}|{o.note}|{o.year_basis}|{before}"
        for o, before in [(o, None) for o in preview.new] + [(o, b.id) for o, b in preview.changed]
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _row(o: Observation, before: str | None = None) -> dict:
    what = " · ".join(part for part in (o.city_name, o.kpi_code, o.data_point, str(o.year)) if part)
    detail = f"converted: {o.converted}" if o.converted else ""
    return {
        "line": o.line, "what": what, "before": before, "after": number(o.value, o.unit),
        "source": o.source, "detail": detail,
    }  # fmt: skip


def summary_of(preview: Preview) -> dict:
    """Counts and the first rows of each kind, as the preview page and the CLI show them."""
    return {
        "counts": preview.counts(),
        "subjects": sorted(
            {o.city_name for o in preview.new + preview.unchanged}
            | {o.city_name for o, _ in preview.changed}
        ),
        "subject_label": "Cities",
        "rejected": [
            {"line": r.line, "column": r.column, "reason": r.reason, "row": r.row}
            for r in preview.rejected[: SHOWN["rejected"]]
        ],
        "changed": [
            _row(o, number(b.value, b.unit)) for o, b in preview.changed[: SHOWN["changed"]]
        ],
        "new": [_row(o) for o in preview.new[: SHOWN["new"]]],
        "unchanged": [_row(o) for o in preview.unchanged[: SHOWN["unchanged"]]],
    }


KPI_VALUES = ImportKind(
    name="kpis",
    title="KPI values of cities",
    formats=(
        "one value per row with the columns city, country, year, kpi_code, data_point, value, "
        "unit, source, note (as seeds/city_kpi_values.csv), or a city's filled-in template "
        "(download it from the city's KPI values page)"
    ),
    preview=preview_bytes,
    summary=summary_of,
    digest=digest,
    apply=apply,
)
