"""Optimistic locking for records several people edit (Project, Bundle), and creating
once: a creation form carries a key, so submitting it twice (or twenty times at once)
makes one record."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import Conflict
from app.core.extensions import db

_KEY = re.compile(r"[0-9a-f]{32}")


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
    with saving(what):
        db.session.commit()


@contextmanager
def saving(what: str):
    """Turn a stale row met anywhere in the block (a flush before the commit too) into a
    :class:`Conflict`, after rolling back: the view keeps what was typed."""
    try:
        yield
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            f"This {what} was saved by someone else at the same moment; nothing of yours was "
            "written. Reload the page and make your change again."
        ) from None


def new_creation_key() -> str:
    """A fresh token for a creation form (the form's hidden ``creation_key``)."""
    return uuid.uuid4().hex


def creation_key(text: str | None) -> str | None:
    """The form's creation key if it looks like one we issue, else None (no de-duplication)."""
    text = (text or "").strip().lower()
    return text if _KEY.fullmatch(text) else None


def created_before(model, key: str | None):
    """The record that a form with this creation key made already, or None."""
    if not key:
        return None
    return db.session.scalar(select(model).where(model.creation_key == key))


def add_once(record, model):
    """Add and flush a new record; when a concurrent request with the same creation key
    won the race, roll back and return that one instead (one form, one record)."""
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = created_before(model, record.creation_key)
        if earlier is None:
            raise
        return earlier
    return record
