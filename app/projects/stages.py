"""Pipeline stages in order, and moving projects forward when work reaches them.

Appraising a project makes it "appraised", a bundle approved by its city makes its
selected projects "bundled": a project never moves back, and a dropped one stays
dropped. The caller's transaction commits, except for :func:`drop_project` (staff
taking a project out of the pipeline, with a reason), which commits its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.fields import TextError, clean_text
from app.core.permissions import require_staff
from app.models import Project, Stage, User

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


def drop_project(user: User, project_id: int, submitted_version: int | None, reason: str):
    """Drop a project from the pipeline; a reason is required and kept."""
    require_staff(user)
    try:
        reason = clean_text(reason, max_length=1000, multiline=True)
    except TextError as error:
        raise InvalidInput(f"The reason: {error}") from None
    if len(reason) < 5:
        raise InvalidInput("Say why the project is dropped (at least a few words).")
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    check_version(project, submitted_version, "project")
    record(
        "drop",
        "project",
        project.id,
        {"from": project.stage.value, "reason": reason},
        user_id=user.id,
    )
    project.stage, project.dropped_reason = Stage.DROPPED, reason
    commit_versioned("project")
    return project
