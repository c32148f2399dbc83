"""Optimistic locking for records several people edit (Project, Bundle)."""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import Conflict
from app.core.extensions import db


def check_version(record, submitted_version: int | None, what: str) -> None:
    """Refuse a save made from a stale copy of ``record``.

    ``submitted_version`` is the version the form was rendered with. SQLAlchemy's
    ``version_id_col`` also guards the UPDATE itself against a concurrent writer.
    """
    if submitted_version is None:
        raise Conflict(f"The form for this {what} has no version: reload the page and try again.")
    if int(submitted_version) != record.version:
        raise Conflict(
            f"This {what} was changed by someone else since you opened it "
            f"(your copy is version {submitted_version}, the saved one is version "
            f"{record.version}). Reload the page to see their changes, then make yours again."
        )


def commit_versioned(what: str) -> None:
    """Commit, turning SQLAlchemy's stale-row error into a clear conflict."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            f"This {what} was saved by someone else at the same moment; nothing of yours was "
            "written. Reload the page and make your change again."
        ) from None
