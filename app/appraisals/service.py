"""Appraisal runs: the bridge from a project's rows to the pure appraisal engine.

A run is computed from a snapshot of the project (:mod:`app.appraisals.inputs`)
by :mod:`app.appraisals.results` and kept as an :class:`AppraisalRun` (inputs
and results), so it can be shown again and compared with another run.

Who may do what:

* staff run appraisals and see every run;
* a city committee sees the runs of its own city's projects, read only;
* a partner sees, for a published project, only the latest run's summary (the figures
  of the contract's ``summary``) in the project page's section, never the run pages
  (they hold the assumptions and working of the programme staff).

Runs of fewer than :data:`JOB_THRESHOLD` Monte Carlo draws are computed in the
request; larger ones run as a job whose result links to the run page.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.appraisals.inputs import snapshot, snapshot_lines
from app.appraisals.results import ENGINE_VERSION, compute_results
from app.core import audit
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.jobs import submit
from app.core.pagination import Page, paginate
from app.core.permissions import require_project_visible, require_staff
from app.models import Job, Project, ProjectFinancingPlan, Role, Stage, User
from app.models.appraisal_run import AppraisalRun
from app.parameter_sets.registry import default_set_for, set_choices
from app.projects.stages import promote

__all__ = [
    "DRAW_CHOICES",
    "JOB_THRESHOLD",
    "appraise_missing",
    "appraise_project",
    "appraisal_form_options",
    "compare_runs",
    "get_run",
    "latest_summaries",
    "project_appraisal_context",
    "project_for_appraisal",
    "request_appraisal",
    "run_url",
]

DRAW_CHOICES = (0, 1_000, 10_000, 100_000)
JOB_THRESHOLD = 10_000
DEFAULT_PARAMETER_SET = "EU 2014-2020"


def run_url(run: AppraisalRun) -> str:
    return f"/projects/{run.project_id}/runs/{run.id}"


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id, options=[selectinload(Project.cash_flows)])
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return project


def _can_view_runs(user: User, project: Project) -> bool:
    return user.role is Role.STAFF or (user.role is Role.CITY and user.city_id == project.city_id)


SECTION_RUNS = 20  # newest runs listed on the project page (each carries its results)


def _runs(project_id: int) -> list[AppraisalRun]:
    return list(
        db.session.scalars(
            sa.select(AppraisalRun)
            .where(AppraisalRun.project_id == project_id)
            .order_by(AppraisalRun.id.desc())
            .limit(SECTION_RUNS)
        )
    )


def project_for_appraisal(user: User, project_id: int) -> Project:
    """The project whose appraisal staff are about to run."""
    require_staff(user)
    return _project(project_id)


def project_appraisal_context(user: User, project: Project) -> dict:
    """What the project page's appraisal section shows for ``user``.

    Keys: ``runs`` (the newest :data:`SECTION_RUNS`, newest first; empty for
    partners), ``latest`` (the newest run or None), ``summary`` (its contract
    summary or None), ``can_run`` (staff),
    ``can_view_runs`` (staff and the project's city), ``draw_choices`` for the form and
    ``stale``: the ids of runs made on other cash flows than the project has now.
    """
    require_project_visible(user, project)
    can_view = _can_view_runs(user, project)
    runs = _runs(project.id) if can_view else []
    current = snapshot_lines(
        project.horizon_years, ((x.year, x.kind, x.amount) for x in project.cash_flows)
    )
    stale = {run.id for run in runs if (run.inputs or {}).get("lines") != current}
    if can_view:
        latest = runs[0] if runs else None
        summary = latest.results.get("summary") if latest else None
    else:
        latest = None
        summary = latest_summaries([project.id]).get(project.id)
    return {
        "runs": runs,
        "latest": latest,
        "summary": summary,
        "can_run": user.role is Role.STAFF,
        "can_view_runs": can_view,
        "draw_choices": DRAW_CHOICES,
        "job_threshold": JOB_THRESHOLD,
        "stale": stale,
    }


def appraisal_form_options(project: Project) -> dict:
    """The parameter sets the run form offers and the one it preselects (the city's)."""
    return {
        "sets": set_choices(),
        "default": default_set_for(project.city),
        "assumptions": project.assumptions or {},
    }


def _keep(project: Project, snap: dict, results: dict, user_id: int | None) -> AppraisalRun:
    ref = snap["parameter_set"]
    run = AppraisalRun(
        project_id=project.id,
        parameter_set=ref["name"][:60],
        parameter_set_version=str(ref["version"])[:40],
        engine_version=ENGINE_VERSION[:20],
        inputs=snap,
        results=results,
        verdict=results["summary"]["verdict"],
        created_by_id=user_id,
    )
    db.session.add(run)
    db.session.flush()
    promote([project], Stage.APPRAISED, user_id=user_id, why=f"appraisal run {run.id}")
    summary = results["summary"]
    audit.record(
        "appraise",
        "project",
        project.id,
        {"run_id": run.id, "parameter_set": ref, "verdict": summary["verdict"]},
        user_id=user_id,
    )
    db.session.commit()
    return run


def _snapshot(project: Project, parameter_set: str, **options) -> dict:
    draws = int(options.get("draws") or 0)
    if draws not in DRAW_CHOICES:
        raise InvalidInput(f"Monte Carlo draws must be one of {DRAW_CHOICES}, not {draws}.")
    plan = db.session.scalar(
        sa.select(ProjectFinancingPlan.terms).where(ProjectFinancingPlan.project_id == project.id)
    )
    return snapshot(
        project,
        parameter_set=parameter_set,
        financing_plan=plan,
        **(options | {"draws": draws}),
    )


def appraise_project(
    user: User | None,
    project_id: int,
    parameter_set: str = DEFAULT_PARAMETER_SET,
    *,
    draws: int = 0,
    version: str | None = None,
    overrides: Mapping[str, float] | None = None,
    uncertainty: Mapping[str, Mapping] | None = None,
    seed: int | None = None,
    methods: Mapping | None = None,
) -> AppraisalRun:
    """Appraise a project now (staff only; ``user=None`` is the command line) and keep the run.

    Rates in ``overrides`` are decimals; ``methods`` are the run form's method choices
    (in the shape of ``project.assumptions``), over the project's assumptions. Raises
    AppraisalError (nothing kept) when the engine cannot appraise the project.
    """
    if user is not None:
        require_staff(user)
    project = _project(project_id)
    snap = _snapshot(
        project,
        parameter_set,
        draws=draws,
        version=version,
        overrides=overrides,
        uncertainty=uncertainty,
        seed=seed,
        methods=methods,
    )
    results = compute_results(snap)
    return _keep(project, snap, results, user.id if user else None)


def request_appraisal(
    user: User,
    project_id: int,
    parameter_set: str = DEFAULT_PARAMETER_SET,
    *,
    draws: int = 0,
    version: str | None = None,
    overrides: Mapping[str, float] | None = None,
    uncertainty: Mapping[str, Mapping] | None = None,
    seed: int | None = None,
    methods: Mapping | None = None,
) -> AppraisalRun | Job:
    """Appraise now, or as a job when the Monte Carlo has :data:`JOB_THRESHOLD` draws or more."""
    require_staff(user)
    options = {
        "draws": draws,
        "version": version,
        "overrides": overrides,
        "uncertainty": uncertainty,
        "seed": seed,
        "methods": methods,
    }
    if int(draws or 0) < JOB_THRESHOLD:
        return appraise_project(user, project_id, parameter_set, **options)
    project = _project(project_id)
    snap = _snapshot(project, parameter_set, **options)
    return submit(
        "appraisal",
        {"project_id": project.id, "user_id": user.id, "snapshot": snap},
        user,
        title=f"Appraisal of {project.title} ({int(draws):,} Monte Carlo draws)",
    )


def appraisal_job(params: dict, progress) -> dict:
    """Compute and keep a run from the snapshot taken when it was asked for."""
    project = _project(int(params["project_id"]))
    results = compute_results(params["snapshot"], progress)
    progress(0.95, "saving the run")
    run = _keep(project, params["snapshot"], results, params.get("user_id"))
    return {"run_id": run.id, "result_url": run_url(run)}


def _runs_shown(user: User, project_id: int) -> Project:
    """The project, if ``user`` may see its runs (staff and the project's city)."""
    project = require_project_visible(user, _project(project_id))
    if not _can_view_runs(user, project):
        raise PermissionDenied(
            "Appraisal runs are shown to programme staff and the project's city; "
            "the project page shows its latest summary."
        )
    return project


def get_run(user: User, project_id: int, run_id: int) -> AppraisalRun:
    """A run of a project, for staff and the project's city."""
    _runs_shown(user, project_id)
    run = db.session.get(AppraisalRun, run_id)
    if run is None or run.project_id != project_id:
        raise NotFound(f"Project {project_id} has no appraisal run {run_id}.")
    return run


def list_runs(user: User, project_id: int, *, page: int = 1, size: int = 50) -> Page:
    """A project's runs, newest first, for staff and the project's city."""
    _runs_shown(user, project_id)
    query = sa.select(AppraisalRun).where(AppraisalRun.project_id == project_id)
    return paginate(query.order_by(AppraisalRun.id.desc()), page, size)


def _flatten(value, prefix: str = "") -> dict[str, object]:
    """Nested inputs as dotted keys; yearly lists shown by their total and length."""
    if isinstance(value, Mapping):
        out: dict[str, object] = {}
        for key, item in value.items():
            out |= _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list):
        return {prefix: f"{len(value)} years, total {sum(value):,.0f}"}
    return {prefix: value}


_COMPARED = (
    ("FNPV/C", ("summary", "fnpv_c"), "money"),
    ("FRR/C", ("summary", "frr_c"), "rate"),
    ("FNPV/K", ("summary", "fnpv_k"), "money"),
    ("FRR/K", ("summary", "frr_k"), "rate"),
    ("Funding-gap rate", ("summary", "funding_gap_rate"), "rate"),
    ("EU grant", ("financial", "funding_gap", "grant"), "money"),
    ("ENPV", ("summary", "enpv"), "money"),
    ("ERR", ("summary", "err"), "rate"),
    ("B/C ratio", ("summary", "bcr"), "ratio"),
    ("Financial discount rate", ("summary", "financial_discount_rate"), "rate"),
    ("Social discount rate", ("summary", "social_discount_rate"), "rate"),
    ("Mean ENPV (Monte Carlo)", ("monte_carlo", "enpv", "mean"), "money"),
    ("P(ENPV < 0)", ("monte_carlo", "enpv", "p_negative"), "rate"),
    ("Value for money (PSC - PPP)", ("ppp", "vfm", "vfm"), "money"),
    ("Availability payment, first year", ("ppp", "availability_payment", "first_year"), "money"),
    ("Minimum DSCR", ("ppp", "debt", "min_dscr"), "ratio"),
    ("Equity IRR", ("ppp", "equity_irr"), "rate"),
    ("Minimum DSCR (financing plan)", ("financing_plan", "min_dscr"), "ratio"),
    ("Minimum LLCR (financing plan)", ("financing_plan", "min_llcr"), "ratio"),
)


def _dig(results: Mapping, path: tuple[str, ...]):
    value = results
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def compare_runs(user: User, project_id: int, a: int | None, b: int | None) -> dict:
    """Two runs side by side: the inputs that differ and each key result with its change."""
    if a is None or b is None:
        raise InvalidInput("Choose two runs to compare (a and b).")
    run_a, run_b = get_run(user, project_id, a), get_run(user, project_id, b)
    flat_a, flat_b = _flatten(run_a.inputs), _flatten(run_b.inputs)
    differing = [
        (key, flat_a.get(key), flat_b.get(key))
        for key in sorted(set(flat_a) | set(flat_b))
        if flat_a.get(key) != flat_b.get(key)
    ]
    rows = []
    for label, path, kind in _COMPARED:
        va, vb = _dig(run_a.results, path), _dig(run_b.results, path)
        if va is None and vb is None:
            continue
        both = isinstance(va, int | float) and isinstance(vb, int | float)
        rows.append(
            {"label": label, "kind": kind, "a": va, "b": vb, "diff": vb - va if both else None}
        )
    verdicts = (run_a.results["summary"]["verdict"], run_b.results["summary"]["verdict"])
    return {
        "project": run_a.project,
        "a": run_a,
        "b": run_b,
        "inputs": differing,
        "results": rows,
        "verdicts": verdicts,
        "summary": run_a.results["summary"],
    }


def latest_summaries(project_ids: list[int]) -> dict[int, dict]:
    """The newest run's ``results["summary"]`` per project, in one query."""
    if not project_ids:
        return {}
    newest = (
        sa.select(AppraisalRun.project_id, sa.func.max(AppraisalRun.id).label("run_id"))
        .where(AppraisalRun.project_id.in_(list(project_ids)))
        .group_by(AppraisalRun.project_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(AppraisalRun.project_id, AppraisalRun.results).join(
            newest, AppraisalRun.id == newest.c.run_id
        )
    ).all()
    return {pid: (results or {}).get("summary", {}) for pid, results in rows}


def appraise_missing(parameter_set: str | None = None) -> int:
    """Appraise every project that has no run yet (no Monte Carlo); the number appraised.

    Each project runs under ``parameter_set`` when given, else under its city's default
    set (the city's own choice, else its country's), through the whole-pipeline batch
    (:mod:`app.appraisals.pipeline`). A project the engine cannot appraise is skipped
    (it stays "not appraised yet" and its page says why when staff run it).
    """
    from app.appraisals.pipeline import appraise_pipeline

    return appraise_pipeline(parameter_set, only_missing=True)["appraised"]
