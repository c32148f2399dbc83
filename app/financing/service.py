"""Financing plans: read, check and save a project's plan; what its page shows.

Staff and the project's own city edit the plan; everyone who sees the project sees
it. A plan is saved only when the engine computes it (sources equal uses every year,
sensible loan terms); otherwise a :class:`FieldError` names the field and nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.appraisals.inputs import snapshot
from app.appraisals.service import DEFAULT_PARAMETER_SET
from app.core.audit import record
from app.core.concurrency import check_version, saving
from app.core.errors import Conflict, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.permissions import can_see_city_drafts, require_project_visible
from app.financing.plan import empty_terms, plan_results
from app.models import Project, ProjectFinancingPlan, User
from app.projects.cashflows import price_basis_label
from app.projects.service import FieldError

__all__ = [
    "PLAN_FIELD",
    "PlanEditor",
    "can_edit_plan",
    "plan_editor",
    "project_plan_context",
    "save_plan",
]

#: The field an error without a field of its own is shown on (the whole table).
PLAN_FIELD = "plan"


def _load(project_id: int) -> Project:
    project = db.session.get(Project, project_id, options=[selectinload(Project.cash_flows)])
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return project


def _row(project_id: int) -> ProjectFinancingPlan | None:
    return db.session.scalar(
        sa.select(ProjectFinancingPlan).where(ProjectFinancingPlan.project_id == project_id)
    )


def can_edit_plan(user: User, project: Project) -> bool:
    """Staff, and the committee of the project's own city."""
    return can_see_city_drafts(user, project.city_id)


def _require_editor(user: User, project: Project) -> Project:
    require_project_visible(user, project)
    if not can_edit_plan(user, project):
        raise PermissionDenied(
            "The financing plan is edited by programme staff and the project's city."
        )
    return project


def _fit(terms: dict, years: int) -> dict:
    """Yearly lists cut or padded to the project's horizon (it may have changed)."""
    sources = {
        kind: (list(values) + [0.0] * years)[:years]
        for kind, values in terms.get("sources", {}).items()
    }
    return terms | {"sources": sources}


@dataclass(frozen=True)
class PlanEditor:
    """What the plan's form needs: the saved terms (an empty plan when there is none),
    their version (0 before the first save), the capex to finance per year and the
    saved plan's results (None when there is none)."""

    project: Project
    terms: dict
    version: int
    capex: list[float]
    results: dict | None


def plan_editor(user: User, project_id: int) -> PlanEditor:
    project = _require_editor(user, _load(project_id))
    row = _row(project_id)
    terms = (
        empty_terms(project.horizon_years)
        if row is None
        else _fit(row.terms, project.horizon_years)
    )
    snap = _snap(project, terms)
    return PlanEditor(
        project=project,
        terms=terms,
        version=0 if row is None else row.version,
        capex=list(snap["lines"]["capex"]),
        results=None if row is None else plan_results(snap, terms),
    )


def _snap(project: Project, terms: dict | None) -> dict:
    return snapshot(project, parameter_set=DEFAULT_PARAMETER_SET, financing_plan=terms)


def save_plan(
    user: User, project_id: int, submitted_version: int | None, terms: dict
) -> ProjectFinancingPlan:
    """Check ``terms`` with the engine and save them as the project's plan.

    Raises FieldError (the engine's message on the field it names) when the plan does
    not balance or a term is out of range; Conflict when the plan was saved by someone
    else since ``submitted_version`` (0 for a plan not saved yet).
    """
    project = _require_editor(user, _load(project_id))
    row = _row(project_id)
    check_version(row or SimpleNamespace(version=0), submitted_version, "financing plan")
    results = plan_results(_snap(project, terms), terms)
    if "error" in results:
        raise FieldError(results["field"] or PLAN_FIELD, results["error"])
    if row is None:
        row = ProjectFinancingPlan(project_id=project.id, terms=terms, updated_by_id=user.id)
        db.session.add(row)
    else:
        row.terms = terms
        row.updated_by_id = user.id
    record(
        "update_financing_plan",
        "project",
        project.id,
        {"min_dscr": results["min_dscr"], "loans": sorted(terms["loans"])},
        user_id=user.id,
    )
    try:
        with saving("financing plan"):
            db.session.commit()
    except IntegrityError:  # a plan was created at the same moment
        db.session.rollback()
        raise Conflict(
            "A financing plan for this project was saved by someone else at the same moment; "
            "reload the page and make your change again."
        ) from None
    return row


def project_plan_context(user: User, project: Project) -> dict | None:
    """What the project page shows staff and the project's city (None for others):
    the plan computed now (``results`` None when there is none)."""
    require_project_visible(user, project)
    if not can_edit_plan(user, project):
        return None
    row = _row(project.id)
    results = None
    if row is not None:
        terms = _fit(row.terms, project.horizon_years)
        results = plan_results(_snap(project, terms), terms)
    return {
        "results": results,
        "can_edit": can_edit_plan(user, project),
        "basis": price_basis_label(project),
    }
