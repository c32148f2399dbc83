"""Recording who changed what, when (the caller's transaction commits it)."""

from __future__ import annotations

from app.core.extensions import db
from app.models import AuditLog


def record(
    action: str, entity: str, entity_id: object, changes: dict, *, user_id: int | None
) -> AuditLog:
    entry = AuditLog(
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        changes=changes,
        user_id=user_id,
    )
    db.session.add(entry)
    return entry
