"""Matching every published project at once, under partner capacities (staff).

Each project asks for ``per_project`` partners; each partner takes at most its
capacity. Scoring every pair of 20,000 projects and 2,000 partners in one array would
take gigabytes, so pairs are scored in blocks of projects and each project keeps its
:data:`CANDIDATES` best partners; :func:`matching.assignment.assign` then solves the
capacitated assignment exactly over those candidates. Only the chosen pairs are
explained (reference scorer) and saved as Match rows (role "partner"), replacing the
earlier proposed ones; projects that got partners move from "published" to "matched".

Up to :data:`INLINE_PROJECTS` published projects run within the request; more run as
a job (kind "match_all") with a status page.
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from app.core.audit import record
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.jobs import submit
from app.core.permissions import require_staff
from app.models import AuditLog, Match, Partner, PartnerStatus, Project, Stage, User
from app.partners import matchmaking as mm
from matching.assignment import assign
from matching.scoring_batch import score_pairs

__all__ = ["CANDIDATES", "INLINE_PROJECTS", "matching_overview", "run_match_all", "start_match_all"]

CANDIDATES = 25
INLINE_PROJECTS = 300
_BLOCK_PAIRS = 500_000


def matching_overview(user: User) -> dict:
    """Counts for /opportunities/admin."""
    require_staff(user)
    by_stage = dict(
        db.session.execute(
            sa.select(Project.stage, sa.func.count())
            .where(Project.published.is_(True))
            .group_by(Project.stage)
        ).all()
    )
    return {
        "published": sum(by_stage.values()),
        "by_stage": {getattr(k, "value", k): v for k, v in by_stage.items()},
        "matches": db.session.scalar(sa.select(sa.func.count()).select_from(Match)),
        "partners": db.session.scalar(
            sa.select(sa.func.count(Partner.id)).where(Partner.status == PartnerStatus.APPROVED)
        ),
        "inline_limit": INLINE_PROJECTS,
        "last_run": db.session.scalar(
            sa.select(AuditLog)
            .where(AuditLog.action == "match_all")
            .order_by(AuditLog.id.desc())
            .limit(1)
        ),
    }


def start_match_all(user: User, per_project: int) -> dict:
    """Run now (small sets) or as a job; returns {"job": Job} or {"result": dict}."""
    require_staff(user)
    if not 1 <= per_project <= 10:
        raise InvalidInput("Give from 1 to 10 partners per project.")
    published = db.session.scalar(
        sa.select(sa.func.count(Project.id)).where(Project.published.is_(True))
    )
    if not published:
        raise InvalidInput("No project is published yet: publish some before matching.")
    params = {"per_project": per_project, "user_id": user.id}
    if published > INLINE_PROJECTS:
        title = f"Match {published:,} published projects, {per_project} partners each"
        return {"job": submit("match_all", params, user, title=title)}
    return {"result": run_match_all(params, lambda *_: None)}


def _candidates(projects, partners, fx, progress) -> np.ndarray:
    """(project index, partner index) of each project's best partners, block by block."""
    k = min(CANDIDATES, len(partners))
    block = max(1, _BLOCK_PAIRS // len(partners))
    kept = []
    for start in range(0, len(projects), block):
        chunk = projects[start : start + block]
        ps = score_pairs(chunk, partners, fx=fx)
        scores = ps.score.reshape(len(chunk), len(partners))
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(len(chunk)) + start, k)
        kept.append(np.column_stack([rows, best.ravel()]))
        progress(0.6 * (start + len(chunk)) / len(projects), "scoring pairs")
    return np.concatenate(kept).astype(np.int64)


def run_match_all(params: dict, progress) -> dict:
    """Score, assign and save; the result counts what was written."""
    per_project = int(params.get("per_project", 3))
    projects = mm.project_profiles(mm.project_query().where(Project.published.is_(True)))
    partners = mm.partner_profiles()
    if not projects or not partners.profiles:
        raise InvalidInput("Matching needs published projects and registered partners.")
    fx = mm.fx_rates()
    pairs = _candidates(projects, partners.profiles, fx, progress)
    ps = score_pairs(projects, partners.profiles, pairs, fx=fx)
    capacity = {q.id: partners.capacity[int(q.id)] for q in partners.profiles}
    chosen = assign(ps, capacity=capacity, demand=per_project)
    progress(0.8, "explaining and saving the matches")
    project_at = {p.id: p for p in projects}
    partner_at = {q.id: q for q in partners.profiles}
    ids = [int(p.id) for p in projects]
    db.session.execute(
        sa.delete(Match).where(
            Match.project_id.in_(ids), Match.role == "partner", Match.status == "proposed"
        )
    )
    kept = set(
        db.session.execute(
            sa.select(Match.project_id, Match.partner_id).where(
                Match.project_id.in_(ids), Match.role == "partner"
            )
        ).all()
    )
    rows = []
    for a in chosen:
        if (int(a.project), int(a.partner)) in kept:
            continue
        fit = mm.explain(project_at[a.project], partner_at[a.partner])
        rows.append(
            {
                "project_id": int(a.project),
                "partner_id": int(a.partner),
                "role": "partner",
                "score": fit.score,
                "confidence": fit.confidence,
                "components": {c.name: c.value for c in fit.components},
                "reasons": list(fit.reasons),
                "status": "proposed",
            }
        )
    if rows:
        db.session.execute(sa.insert(Match), rows)
    matched = sorted({r["project_id"] for r in rows})
    moved = 0
    for start in range(0, len(matched), 500):
        # A bulk UPDATE skips the ORM's version counter: bump it here so open forms see it.
        moved += db.session.execute(
            sa.update(Project)
            .where(Project.id.in_(matched[start : start + 500]), Project.stage == Stage.PUBLISHED)
            .values(stage=Stage.MATCHED, version=Project.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
    result = {
        "projects": len(projects),
        "matches": len(rows),
        "projects_matched": len(matched),
        "moved_to_matched": moved,
        "unmet_demand": int(sum(chosen.unmet_demand.values())),
        "per_project": per_project,
        "method": chosen.method,
    }
    record("match_all", "project", None, result, user_id=params.get("user_id"))
    db.session.commit()
    return result | {"result_url": "/opportunities/admin"}
