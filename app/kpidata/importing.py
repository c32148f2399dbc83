"""Importing files of KPI values: a preview first, then an all-or-nothing commit.

The web page and ``usc import kpis`` share these steps. A file is read, each row
checked (:mod:`app.kpidata.checking`), and compared with what is stored; the preview
says what would be new, changed or unchanged, and refuses rows with their row number,
column and reason. A commit writes everything or nothing, and only a file with no
refused row can be committed; importing the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.kpidata.checking import Preview, classify, read_rows
from app.kpidata.files import FileRefused, read_file
from app.kpidata.recording import apply, load_reference, stored_values
from app.models import KpiImport, User
from app.models.base import utcnow

__all__ = [
    "ImportResult",
    "commit_import",
    "import_file",
    "preview_bytes",
    "preview_upload",
    "recent_imports",
    "summary_of",
]

SHOWN = {"rejected": 1000, "changed": 500, "new": 300, "unchanged": 100}


@dataclass(frozen=True)
class ImportResult:
    preview: Preview
    file_format: str
    written: int = 0


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


def _digest(preview: Preview) -> str:
    """What a commit would write: the same digest means the same writes."""
    lines = sorted(
        f"{o.key}|{o.value!r}|{o.unit}|{o.source}|{o.note}|{o.year_basis}|{before}"
        for o, before in [(o, None) for o in preview.new] + [(o, b.id) for o, b in preview.changed]
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _observation_row(o) -> dict:
    return {
        "line": o.line, "city": o.city_name, "city_id": o.city_id, "kpi": o.kpi_code,
        "data_point": o.data_point, "year": o.year, "value": o.value, "unit": o.unit,
        "source": o.source, "note": o.note, "converted": o.converted,
    }  # fmt: skip


def summary_of(preview: Preview) -> dict:
    """Counts and the first rows of each kind, as the preview page and the CLI show them."""
    changed = [
        {**_observation_row(o), "old_value": b.value, "old_unit": b.unit, "old_source": b.source}
        for o, b in preview.changed[: SHOWN["changed"]]
    ]
    return {
        "counts": {
            "new": len(preview.new),
            "changed": len(preview.changed),
            "unchanged": len(preview.unchanged),
            "rejected": len(preview.rejected),
            "skipped": preview.skipped,
        },
        "cities": sorted(
            {o.city_name for o in preview.new + preview.unchanged}
            | {o.city_name for o, _ in preview.changed}
        ),  # fmt: skip
        "rejected": [
            {"line": r.line, "column": r.column, "reason": r.reason, "row": r.row}
            for r in preview.rejected[: SHOWN["rejected"]]
        ],
        "changed": changed,
        "new": [_observation_row(o) for o in preview.new[: SHOWN["new"]]],
        "unchanged": [_observation_row(o) for o in preview.unchanged[: SHOWN["unchanged"]]],
    }


def preview_upload(user: User, filename: str, content: bytes) -> KpiImport:
    """Check an uploaded file and keep it with its preview, to be committed later."""
    require_staff(user)
    filename = (filename or "upload").strip()[:255] or "upload"
    preview, file_format = preview_bytes(filename, content)
    record = KpiImport(
        filename=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        file_format=file_format,
        status="previewed",
        digest=_digest(preview),
        summary=summary_of(preview),
        uploaded_by_id=user.id,
    )
    db.session.add(record)
    db.session.commit()
    return record


def kpi_import(user: User, import_id: int) -> KpiImport:
    require_staff(user)
    record = db.session.get(KpiImport, import_id)
    if record is None:
        raise NotFound(f"There is no import {import_id}. Upload the file again on /imports.")
    return record


def recent_imports(user: User, limit: int = 20) -> list[KpiImport]:
    require_staff(user)
    return list(db.session.scalars(select(KpiImport).order_by(KpiImport.id.desc()).limit(limit)))


def _refuse_rejected(preview: Preview) -> None:
    if preview.rejected:
        raise InvalidInput(
            f"{len(preview.rejected)} rows are refused (see the list with their row, column "
            "and reason). Nothing was written: correct the file and import it again."
        )


def commit_import(user: User, import_id: int, digest: str | None) -> int:
    """Write the previewed file in one transaction; returns the number of values written.

    The file is checked again against what is stored now; if that differs from the
    preview the user saw, nothing is written and the new preview is shown instead.
    """
    record = kpi_import(user, import_id)
    if record.status == "committed":
        raise Conflict(
            f"Import {record.id} ({record.filename}) was already committed. To import the file "
            "again, upload it again: a file already imported changes nothing."
        )
    preview, _ = preview_bytes(record.filename, record.content or b"")
    _refuse_rejected(preview)
    now = _digest(preview)
    if now != record.digest or digest != record.digest:
        record.digest, record.summary = now, summary_of(preview)
        db.session.commit()
        raise Conflict(
            "The values stored changed since this preview was made (someone else edited or "
            "imported them). Nothing was written; the preview below is up to date: check it "
            "and commit again."
        )
    written = apply(
        preview, user_id=user.id, via=f"import {record.id} ({record.filename})", import_id=record.id
    )
    record.status = "committed"
    record.committed_at = utcnow()
    record.summary = {**record.summary, "written": written}
    record.content = None  # the values and their history hold what mattered
    db.session.commit()
    return written


def import_file(filename: str, content: bytes, *, dry_run: bool, via: str) -> ImportResult:
    """The command line's import: preview, and commit unless ``dry_run`` or rows refused."""
    preview, file_format = preview_bytes(filename, content)
    if dry_run or preview.rejected or not preview.writes:
        db.session.rollback()
        return ImportResult(preview, file_format)
    written = apply(preview, user_id=None, via=via)
    db.session.commit()
    return ImportResult(preview, file_format, written)
