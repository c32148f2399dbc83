"""Changing projects: staff edits with version checks and an audit trail."""

from __future__ import annotations

from app.extensions import db
from app.models import Project, Stage, User
from app.services.audit import record
from app.services.concurrency import check_version, commit_versioned
from app.services.errors import InvalidInput, NotFound
from app.services.permissions import require_staff

EDITABLE = {
    "title",
    "description",
    "delivery_model",
    "horizon_years",
    "start_year",
    "risks",
    "local_conditions",
    "needed_capabilities",
    "risk_level",
}


def update_project(user: User, project_id: int, submitted_version: int | None, changes: dict):
    """Apply ``changes`` to a project unless someone saved it since ``submitted_version``."""
    require_staff(user)
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    check_version(project, submitted_version, "project")
    before = {name: getattr(project, name) for name in changes}
    for name, value in changes.items():
        setattr(project, name, value)
    record("update", "project", project.id, _diff(before, changes), user_id=user.id)
    commit_versioned("project")
    return project


def drop_project(user: User, project_id: int, submitted_version: int | None, reason: str):
    """Drop a project from the pipeline; a reason is required and kept."""
    require_staff(user)
    reason = (reason or "").strip()
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


def _diff(before: dict, after: dict) -> dict:
    return {
        name: {"from": str(before[name]), "to": str(after[name])}
        for name in after
        if before[name] != after[name]
    }
