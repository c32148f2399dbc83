"""Re-appraising the whole pipeline at once: `usc appraise --all` and the staff button.

Projects are read with plain SQL rows (no ORM objects: 20,000 projects hold about a
million cash-flow lines), appraised by :func:`app.appraisals.batch_results.compute_many`
(the vectorised engine; each run holds what a single appraisal would) and written with
bulk inserts: the runs, their audit entries, and the move to "appraised" of projects at
an earlier stage, as a single appraisal does. Work goes by blocks of
:data:`BLOCK` projects, each committed, so progress shows and memory stays flat.

The result says how many projects were appraised and how many the engine refused,
with the first reasons.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from app.appraisals.batch_results import compute_many
from app.appraisals.inputs import snapshot_lines, snapshot_of
from app.appraisals.results import ENGINE_VERSION, json_safe
from app.core.audit import record
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.jobs import submit
from app.core.permissions import require_staff
from app.models import AuditLog, CashFlowLine, Job, Project, Stage, User
from app.models.appraisal_run import AppraisalRun
from app.models.base import utcnow
from app.parameter_sets.registry import default_sets, resolve_parameter_set
from app.projects.stages import ORDER
from appraisal.errors import AppraisalError

__all__ = [
    "BLOCK",
    "FIRST_REASONS",
    "appraise_pipeline",
    "pipeline_job",
    "pipeline_overview",
    "start_appraise_all",
    "summary_line",
]

BLOCK = 2000  # projects per block: read, appraised, written and committed together
FIRST_REASONS = 5  # refusals quoted in the result
_BEFORE = [s for s in ORDER if ORDER.index(s) < ORDER.index(Stage.APPRAISED)]
_FIELDS = (
    Project.id,
    Project.title,
    Project.delivery_model,
    Project.currency,
    Project.price_base_year,
    Project.price_basis,
    Project.start_year,
    Project.horizon_years,
    Project.assumptions,
    Project.stage,
)


class _SerialisedJSON(sa.types.TypeDecorator):
    """A JSON column written from text already serialised (and checked for NaN)."""

    impl = sa.Text
    cache_ok = True

    def bind_expression(self, bindvalue):
        # PostgreSQL's json columns take text through an explicit cast; SQLite keeps
        # JSON as text, and a CAST AS JSON there would make it a number.
        return _JSONCast(bindvalue)


class _JSONCast(sa.sql.expression.ColumnElement):
    inherit_cache = True

    def __init__(self, value):
        self.value = value
        self.type = sa.Text()


@compiles(_JSONCast)
def _cast_default(element, compiler, **kw):
    return compiler.process(element.value, **kw)


@compiles(_JSONCast, "postgresql")
def _cast_postgresql(element, compiler, **kw):
    return f"CAST({compiler.process(element.value, **kw)} AS JSON)"


# The runs table with its JSON columns as text: the batch serialises each run once
# (checking it holds no NaN) instead of letting the JSON type serialise it again.
_RUNS = sa.Table(
    AppraisalRun.__tablename__,
    sa.MetaData(),
    *(
        sa.Column(
            c.name,
            _SerialisedJSON() if isinstance(c.type, sa.JSON) else c.type,
            primary_key=c.primary_key,
        )
        for c in AppraisalRun.__table__.columns
    ),
)

Progress = Callable[[float, str], None]


def _nothing(_fraction: float, _message: str = "") -> None:
    return None


def _project_ids(only_missing: bool) -> list[int]:
    query = sa.select(Project.id).order_by(Project.id)
    if only_missing:
        query = query.where(Project.id.not_in(sa.select(AppraisalRun.project_id).distinct()))
    return list(db.session.scalars(query))


def _snapshots(
    ids: list[int], parameter_set: str, version: str | None
) -> tuple[list[dict], dict[int, Stage]]:
    lines: dict[int, list] = defaultdict(list)
    # The amount as a double in SQL: the nearest double to the stored decimal, as
    # float(Decimal) gives, without building a Decimal for each of a million lines.
    amount = sa.cast(CashFlowLine.amount, sa.Float)
    flows = sa.select(CashFlowLine.project_id, CashFlowLine.year, CashFlowLine.kind, amount).where(
        CashFlowLine.project_id.in_(ids)
    )
    connection = db.session.connection()  # plain rows, not ORM-loaded ones
    for pid, year, kind, amount in connection.execute(flows):
        lines[pid].append((year, kind, amount))
    snaps, stages = [], {}
    for row in connection.execute(sa.select(*_FIELDS).where(Project.id.in_(ids))):
        fields = {
            "id": row.id,
            "title": row.title,
            "delivery_model": row.delivery_model.value,
            "currency": row.currency,
            "price_base_year": row.price_base_year,
            "price_basis": getattr(row.price_basis, "value", row.price_basis),
            "start_year": row.start_year,
            "horizon_years": row.horizon_years,
        }
        snaps.append(
            snapshot_of(
                fields,
                snapshot_lines(row.horizon_years, lines[row.id]),
                row.assumptions or {},
                parameter_set=parameter_set,
                version=version,
                seed=row.id,  # as a single appraisal from the command line
            )
        )
        stages[row.id] = row.stage
    return snaps, stages


def _write(snaps: list[dict], results: list, stages: dict, user_id: int | None, params):
    """Insert the runs, their audit entries and the stage moves; the refusals."""
    kept, refused = [], []
    for snap, result in zip(snaps, results, strict=True):
        pid = snap["project"]["id"]
        if isinstance(result, Exception):
            refused.append((pid, str(result)))
            continue
        try:
            text = json.dumps(result, allow_nan=False)
        except ValueError:  # a NaN or an infinity: None in a run, as a single run holds
            text = json.dumps(json_safe(result), allow_nan=False)
        kept.append(
            {
                "project_id": pid,
                "parameter_set": snap["parameter_set"]["name"][:60],
                "parameter_set_version": str(snap["parameter_set"]["version"])[:40],
                "engine_version": ENGINE_VERSION[:20],
                "inputs": json.dumps(snap, allow_nan=False),
                "results": text,
                "verdict": result["summary"]["verdict"],
                "created_at": utcnow(),
                "created_by_id": user_id,
            }
        )
    if not kept:
        return 0, refused
    # One run per project in a block: the project says which run id is whose.
    run_of = dict(
        db.session.execute(sa.insert(_RUNS).returning(_RUNS.c.project_id, _RUNS.c.id), kept).all()
    )
    now = utcnow()
    audit = []
    moved = []
    for row in kept:
        pid = row["project_id"]
        run_id = run_of[pid]
        ref = {"name": params.name, "version": params.version}
        audit.append(
            {
                "at": now,
                "user_id": user_id,
                "action": "appraise",
                "entity": "project",
                "entity_id": str(pid),
                "changes": {"run_id": run_id, "parameter_set": ref, "verdict": row["verdict"]},
            }
        )
        stage = stages[pid]
        if stage in _BEFORE:
            moved.append(pid)
            audit.append(
                {
                    "at": now,
                    "user_id": user_id,
                    "action": "advance",
                    "entity": "project",
                    "entity_id": str(pid),
                    "changes": {
                        "stage": {"from": stage.value, "to": Stage.APPRAISED.value},
                        "why": f"appraisal run {run_id}",
                    },
                }
            )
    db.session.execute(sa.insert(AuditLog), audit)
    for start in range(0, len(moved), 500):
        # A bulk UPDATE skips the ORM's version counter: bump it here so open forms see it.
        db.session.execute(
            sa.update(Project)
            .where(Project.id.in_(moved[start : start + 500]), Project.stage.in_(_BEFORE))
            .values(stage=Stage.APPRAISED, version=Project.version + 1)
            .execution_options(synchronize_session=False)
        )
    return len(kept), refused


def _blocks(ids, parameter_set, version, params, user_id, progress) -> tuple[int, list]:
    appraised, refused = 0, []
    for start in range(0, len(ids), BLOCK):
        block = ids[start : start + BLOCK]
        progress(
            start / max(1, len(ids)),
            f"appraising projects {start + 1:,}-{start + len(block):,} of {len(ids):,}",
        )
        snaps, stages = _snapshots(block, parameter_set, version)
        done, no = _write(snaps, compute_many(snaps), stages, user_id, params)
        db.session.commit()
        appraised += done
        refused += no
    return appraised, refused


def _groups(ids: list[int], parameter_set: str | None) -> dict[str, list[int]]:
    """Project ids by the set each is appraised under: the one named, else its city's."""
    if parameter_set is not None:
        return {parameter_set: ids}
    groups: dict[str, list[int]] = defaultdict(list)
    for pid, name in sorted(default_sets(ids).items()):
        groups[name].append(pid)
    return dict(groups)


def _sets_used(parameter_set: str | None, sets: dict, groups: dict) -> str:
    """E.g. "EU 2014-2020 (2014.12)", or "each city's default set: World Bank (...) for 12"."""
    if parameter_set is not None:
        return ", ".join(f"{p.name} ({p.version})" for p in sets.values())
    used = ", ".join(f"{p.name} ({p.version}) for {len(groups[n]):,}" for n, p in sets.items())
    return "each city's default set" + (f": {used}" if used else "")


def appraise_pipeline(
    parameter_set: str | None,
    *,
    version: str | None = None,
    only_missing: bool = False,
    user_id: int | None = None,
    progress: Progress = _nothing,
) -> dict:
    """Appraise every project (or those with no run yet) with one parameter set, or each
    under its city's default set when ``parameter_set`` is None.

    Raises AppraisalError for an unknown parameter set (nothing is appraised). Returns
    ``{"projects", "appraised", "refused", "first_reasons", "parameter_set"}``.
    """
    if parameter_set is not None:
        resolve_parameter_set(parameter_set, version)  # an unknown set: the caller's error
    ids = _project_ids(only_missing)
    groups = _groups(ids, parameter_set)
    sets = {name: resolve_parameter_set(name, version) for name in groups}
    # Blocks allocate millions of small objects that hold no cycles; the cyclic garbage
    # collector would walk them again and again (a third of the time), so it waits.
    collecting = gc.isenabled()
    gc.disable()
    appraised, refused = 0, []
    try:
        for name, group in groups.items():
            done, no = _blocks(group, name, version, sets[name], user_id, progress)
            appraised, refused = appraised + done, refused + no
    finally:
        if collecting:
            gc.enable()
    result = {
        "projects": len(ids),
        "appraised": appraised,
        "refused": len(refused),
        "first_reasons": [f"project {pid}: {why}" for pid, why in refused[:FIRST_REASONS]],
        "parameter_set": _sets_used(parameter_set, sets, groups),
        "only_missing": only_missing,
    }
    record("appraise_all", "project", None, result, user_id=user_id)
    db.session.commit()
    return result


def pipeline_overview(user: User) -> dict:
    """Staff: what the re-appraisal page shows: projects, runs and the last batch."""
    require_staff(user)
    return {
        "projects": db.session.scalar(sa.select(sa.func.count(Project.id))),
        "appraised": db.session.scalar(
            sa.select(sa.func.count(sa.distinct(AppraisalRun.project_id)))
        ),
        "last": db.session.scalar(
            sa.select(AuditLog)
            .where(AuditLog.action == "appraise_all")
            .order_by(AuditLog.id.desc())
            .limit(1)
        ),
    }


def start_appraise_all(user: User, parameter_set: str | None, version: str | None = None) -> Job:
    """Staff: re-appraise every project of the pipeline as a job with progress, each under
    its city's default set (``parameter_set`` None) or all under the one named."""
    require_staff(user)
    name, version_used = None, None
    if parameter_set is not None:
        try:
            params = resolve_parameter_set(parameter_set, version)
        except AppraisalError as error:  # an unknown set: said on the form, nothing started
            raise InvalidInput(str(error)) from None
        name, version_used = params.name, params.version
    count = db.session.scalar(sa.select(sa.func.count(Project.id)))
    if not count:
        raise InvalidInput("The pipeline has no project to appraise yet.")
    which = f"{name}, version {version_used}" if name else "each city's default set"
    return submit(
        "appraise_all",
        {"parameter_set": name, "version": version_used, "user_id": user.id},
        user,
        title=f"Re-appraise all {count:,} projects ({which})",
    )


def pipeline_job(params: dict, progress) -> dict:
    """The job kind "appraise_all"."""
    result = appraise_pipeline(
        params["parameter_set"],
        version=params.get("version"),
        only_missing=bool(params.get("only_missing")),
        user_id=params.get("user_id"),
        progress=progress,
    )
    progress(1.0, summary_line(result))
    return result


def summary_line(result: dict) -> str:
    """E.g. ``"appraised 20,026 of 20,026 projects (EU 2014-2020 (...)); refused 0"``."""
    line = (
        f"appraised {result['appraised']:,} of {result['projects']:,} projects with "
        f"{result['parameter_set']}; refused {result['refused']:,}"
    )
    if result["first_reasons"]:
        line += " (first: " + "; ".join(result["first_reasons"]) + ")"
    return line
