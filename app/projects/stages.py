"""Pipeline stages in order, and moving projects forward when work reaches them.

Appraising a project makes it "appraised", a bundle approved by its city makes its
selected projects "bundled": a project never moves back, and a dropped one stays
dropped. The caller's transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.audit import record
from app.models import Project, Stage

#: The stages a project moves through, in order (``dropped`` stands apart).
ORDER: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.DROPPED)


def promote(projects: Iterable[Project], to: Stage, *, user_id: int | None, why: str) -> int:
    """Move each project that is at an earlier stage than ``to`` up to it; the count."""
    moved = 0
    for project in projects:
        if project.stage is Stage.DROPPED or ORDER.index(project.stage) >= ORDER.index(to):
            continue
        record(
            "advance",
            "project",
            project.id,
            {"stage": {"from": project.stage.value, "to": to.value}, "why": why},
            user_id=user_id,
        )
        project.stage = to
        moved += 1
    return moved
