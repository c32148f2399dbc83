"""Imports: a preview kept with its file, then an all-or-nothing commit.

The file is checked again at commit against what is stored then; if that differs from
the preview the user saw, nothing is written and the new preview is shown instead.
Only a file with no refused row can be committed, and the same file again changes
nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.imports.kinds import ImportKind, Preview, import_kinds
from app.models import DataImport, User
from app.models.base import utcnow

__all__ = [
    "ImportResult",
    "commit_import",
    "get_import",
    "import_file",
    "kind_named",
    "preview_upload",
    "recent_imports",
]


@dataclass(frozen=True)
class ImportResult:
    preview: Preview
    file_format: str
    summary: dict
    written: int = 0


def kind_named(name: str) -> ImportKind:
    kind = import_kinds().get(name)
    if kind is None:
        raise InvalidInput(
            f"'{name}' is not something the platform imports: choose one of "
            f"{', '.join(import_kinds())}."
        )
    return kind


def preview_upload(user: User, kind_name: str, filename: str, content: bytes) -> DataImport:
    """Check an uploaded file and keep it with its preview, to be committed later."""
    require_staff(user)
    kind = kind_named(kind_name)
    filename = (filename or "upload").strip()[:255] or "upload"
    preview, file_format = kind.preview(filename, content)
    record = DataImport(
        kind=kind.name,
        filename=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        file_format=file_format,
        status="previewed",
        digest=kind.digest(preview),
        summary=kind.summary(preview),
        uploaded_by_id=user.id,
    )
    db.session.add(record)
    db.session.commit()
    return record


def get_import(user: User, import_id: int) -> DataImport:
    require_staff(user)
    record = db.session.get(DataImport, import_id)
    if record is None:
        raise NotFound(f"There is no import {import_id}. Upload the file again on /imports.")
    return record


def recent_imports(user: User, limit: int = 20) -> list[DataImport]:
    require_staff(user)
    return list(db.session.scalars(select(DataImport).order_by(DataImport.id.desc()).limit(limit)))


def commit_import(user: User, import_id: int, digest: str | None) -> int:
    """Write the previewed file in one transaction; returns the number of changes written."""
    record = get_import(user, import_id)
    if record.status == "committed":
        raise Conflict(
            f"Import {record.id} ({record.filename}) was already committed. To import the file "
            "again, upload it again: a file already imported changes nothing."
        )
    kind = kind_named(record.kind)
    preview, _ = kind.preview(record.filename, record.content or b"")
    if preview.rejected:
        raise InvalidInput(
            f"{len(preview.rejected)} rows are refused (see the list with their row, column "
            "and reason). Nothing was written: correct the file and import it again."
        )
    now = kind.digest(preview)
    if now != record.digest or digest != record.digest:
        record.digest, record.summary = now, kind.summary(preview)
        db.session.commit()
        raise Conflict(
            "The data stored changed since this preview was made (someone else edited or "
            "imported it). Nothing was written; the preview below is up to date: check it "
            "and commit again."
        )
    written = kind.apply(
        preview, user_id=user.id, via=f"import {record.id} ({record.filename})", import_id=record.id
    )
    record.status = "committed"
    record.committed_at = utcnow()
    record.summary = {**record.summary, "written": written}
    record.content = None  # the data and their history hold what mattered
    db.session.commit()
    return written


def import_file(
    kind_name: str, filename: str, content: bytes, *, dry_run: bool, via: str
) -> ImportResult:
    """The command line's import: preview, and commit unless ``dry_run`` or rows refused."""
    kind = kind_named(kind_name)
    preview, file_format = kind.preview(filename, content)
    summary = kind.summary(preview)
    if dry_run or preview.rejected or not preview.writes:
        db.session.rollback()
        return ImportResult(preview, file_format, summary)
    written = kind.apply(preview, user_id=None, via=via, import_id=None)
    db.session.commit()
    return ImportResult(preview, file_format, summary, written)
