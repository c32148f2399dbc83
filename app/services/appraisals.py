"""Appraisal runs: the bridge from a project's rows to the pure appraisal engine.

(First cut: the project page's context and the contract's summary look-up; the
runs themselves land next.)
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models.appraisal_run import AppraisalRun

__all__ = ["latest_summaries", "project_appraisal_context"]


def project_appraisal_context(user, project) -> dict:
    """What the project page's appraisal section shows for ``user``."""
    runs = db.session.scalars(
        sa.select(AppraisalRun)
        .where(AppraisalRun.project_id == project.id)
        .order_by(AppraisalRun.created_at.desc(), AppraisalRun.id.desc())
    ).all()
    return {"runs": list(runs), "latest": runs[0] if runs else None, "can_run": False}


def latest_summaries(project_ids: list[int]) -> dict[int, dict]:
    """The newest run's ``results["summary"]`` per project, in one query."""
    if not project_ids:
        return {}
    newest = (
        sa.select(AppraisalRun.project_id, sa.func.max(AppraisalRun.id).label("run_id"))
        .where(AppraisalRun.project_id.in_(project_ids))
        .group_by(AppraisalRun.project_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(AppraisalRun.project_id, AppraisalRun.results).join(
            newest, AppraisalRun.id == newest.c.run_id
        )
    ).all()
    return {pid: (results or {}).get("summary", {}) for pid, results in rows}
