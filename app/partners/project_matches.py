"""Staff workflows on one project: publish it, rank partners, propose a consortium,
decide on partners' interests and save the matches.

A consortium member must be able to act for the project: a local company works in the
project's country; an investor or financial institution works in its country or its
region; a technology company works in its sector there. A partner already in as many
saved consortia of other projects as its capacity is not proposed again. When a role
stays empty the page says which of these rules no partner meets.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.models import AuditLog, City, Interest, InterestStatus, Match, Project, Stage, User
from app.models.base import utcnow
from app.partners import matchmaking as mm
from matching.consortia import ROLES, WEAK_FIT, Consortium, form_consortia
from matching.scoring import PartnerProfile, ProjectProfile

__all__ = [
    "CONSORTIUM_ROLES",
    "ROLE_LABELS",
    "SAVED_RANKED",
    "decide_interest",
    "match_context",
    "publish",
    "save_matches",
    "unpublish",
]

ROLE_LABELS = {
    "local": "Local company",
    "finance": "International investor or financial institution",
    "technology": "Technology company",
}
CONSORTIUM_ROLES = tuple(ROLES)
#: Ranked partners kept as Match rows (role "partner") when staff save the matches.
SAVED_RANKED = 10
_BEFORE_PUBLISHED = (Stage.IDENTIFIED, Stage.FORMULATED, Stage.APPRAISED, Stage.BUNDLED)


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return project


def publish(user: User, project_id: int, submitted_version: int | None) -> Project:
    """Show a project to partners; an earlier stage moves on to "published"."""
    require_staff(user)
    project = _project(project_id)
    check_version(project, submitted_version, "project")
    if project.stage is Stage.DROPPED:
        raise InvalidInput(
            "This project was dropped, so it cannot be published. Take it back into the "
            "pipeline first if it should go ahead."
        )
    if project.published:
        raise InvalidInput("This project is already published; nothing changed.")
    changes: dict = {"published": {"from": False, "to": True}}
    if project.stage in _BEFORE_PUBLISHED:
        changes["stage"] = {"from": project.stage.value, "to": Stage.PUBLISHED.value}
        project.stage = Stage.PUBLISHED
    project.published, project.published_at = True, utcnow()
    record("publish", "project", project.id, changes, user_id=user.id)
    commit_versioned("project")
    return project


def unpublish(user: User, project_id: int, submitted_version: int | None) -> Project:
    """Hide a project from partners; a "published" stage goes back to the one before."""
    require_staff(user)
    project = _project(project_id)
    check_version(project, submitted_version, "project")
    if not project.published:
        raise InvalidInput("This project is not published; nothing changed.")
    changes: dict = {"published": {"from": True, "to": False}}
    if project.stage is Stage.PUBLISHED:
        before = _stage_before_publishing(project.id)
        changes["stage"] = {"from": Stage.PUBLISHED.value, "to": before.value}
        project.stage = before
    project.published, project.published_at = False, None
    record("unpublish", "project", project.id, changes, user_id=user.id)
    commit_versioned("project")
    return project


def _stage_before_publishing(project_id: int) -> Stage:
    """The stage the last publish came from (appraised when it is not on record)."""
    for entry in db.session.scalars(
        sa.select(AuditLog)
        .where(
            AuditLog.entity == "project",
            AuditLog.entity_id == str(project_id),
            AuditLog.action == "publish",
        )
        .order_by(AuditLog.id.desc())
        .limit(1)
    ):
        previous = (entry.changes or {}).get("stage", {}).get("from")
        if previous in {s.value for s in _BEFORE_PUBLISHED}:
            return Stage(previous)
    return Stage.APPRAISED


@dataclass(frozen=True)
class Proposal:
    """A proposed consortium and, per empty role, why nobody fills it."""

    consortium: Consortium | None
    missing: dict[str, str]
    names: dict[int, str]

    @property
    def members(self):
        return self.consortium.members if self.consortium else ()


def _consortium_loads(project_id: int) -> dict[int, int]:
    """Saved consortia per partner, other projects only."""
    rows = db.session.execute(
        sa.select(Match.partner_id, sa.func.count(sa.distinct(Match.project_id)))
        .where(Match.role.in_(CONSORTIUM_ROLES), Match.project_id != project_id)
        .group_by(Match.partner_id)
    )
    return dict(rows.all())


def _eligible(
    project: ProjectProfile, partner: PartnerProfile, role: str
) -> tuple[bool, bool, bool]:
    """(of the role's kind, works where it must, works in the sector where it must)."""
    kind_ok = partner.kind in ROLES[role]
    in_country = project.country in partner.countries
    in_region = project.region in partner.regions
    if role == "local":
        where = in_country
    else:
        where = in_country or in_region or not (partner.countries or partner.regions)
    sector = role != "technology" or not partner.sectors or project.sector in partner.sectors
    return kind_ok, where, sector


def _why_empty(role: str, counts: dict, project: Project) -> str:
    country = project.city.country.name
    region = project.city.country.wb_region or "its region"
    who = {
        "local": "local company",
        "finance": "international investor or financial institution",
        "technology": "technology company",
    }[role]
    if counts["kind"] == 0:
        return f"no {who} is registered on the platform"
    if counts["sector"] == 0:
        return f"no {who} works in {project.sector.name}"
    if counts["where"] == 0:
        if role == "local":
            return f"no local company works in {country}"
        scope = f" in {project.sector.name}" if role == "technology" else ""
        return f"no {who}{scope} works in {country} or {region}"
    return f"every {who} that fits is already in as many consortia as its capacity allows"


def propose_consortium(
    project: Project, profile: ProjectProfile, partners: mm.PartnerProfiles
) -> Proposal:
    loads = _consortium_loads(project.id)
    counts = {role: {"kind": 0, "sector": 0, "where": 0} for role in ROLES}
    eligible: list[PartnerProfile] = []
    for partner in partners.profiles:
        for role in ROLES:
            kind_ok, where, sector = _eligible(profile, partner, role)
            if not kind_ok:
                continue
            counts[role]["kind"] += 1
            counts[role]["sector"] += sector
            counts[role]["where"] += sector and where
            pid = int(partner.id)
            if sector and where and loads.get(pid, 0) < partners.capacity[pid]:
                eligible.append(partner)
    by_role_left = dict.fromkeys(ROLES, 0)
    for partner in eligible:
        for role, kinds in ROLES.items():
            by_role_left[role] += partner.kind in kinds
    missing = {
        role: _why_empty(role, counts[role], project) for role in ROLES if by_role_left[role] == 0
    }
    consortium = None
    if eligible:
        plan = form_consortia([profile], eligible, complete_only=False, fx=mm.fx_rates())
        consortium = plan.consortia[0] if plan.consortia else None
    return Proposal(consortium, missing, partners.names)


def match_context(user: User, project_id: int) -> dict:
    """Everything the staff match page shows for one project."""
    require_staff(user)
    project = db.session.scalar(
        sa.select(Project)
        .where(Project.id == project_id)
        .options(selectinload(Project.city).selectinload(City.country))
        .options(selectinload(Project.sector))
    )
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    profile = mm.project_profiles(mm.project_query().where(Project.id == project.id))[0]
    partners = mm.partner_profiles()
    interests = db.session.scalars(
        sa.select(Interest)
        .where(Interest.project_id == project.id)
        .options(selectinload(Interest.partner))
        .order_by(Interest.created_at)
    ).all()
    saved = db.session.scalars(
        sa.select(Match)
        .where(Match.project_id == project.id)
        .options(selectinload(Match.partner))
        .order_by(Match.role, Match.score.desc())
    ).all()
    return {
        "project": project,
        "ranked": mm.rank_partners(profile, partners),
        "proposal": propose_consortium(project, profile, partners),
        "interests": interests,
        "saved": saved,
        "fx_note": mm.fx_note(),
        "partner_count": len(partners.profiles),
        "weak_fit": WEAK_FIT,
    }


def save_matches(user: User, project_id: int, submitted_version: int | None) -> int:
    """Replace the project's proposed matches by the ranked partners and the consortium.

    A published project with at least one saved partner moves to stage "matched".
    Returns the number of Match rows written.
    """
    require_staff(user)
    project = _project(project_id)
    check_version(project, submitted_version, "project")
    if not project.published:
        raise InvalidInput(
            "Publish the project first: partners are matched to published projects only."
        )
    context = match_context(user, project_id)
    db.session.execute(
        sa.delete(Match).where(Match.project_id == project.id, Match.status == "proposed")
    )
    kept = {
        (m.partner_id, m.role)
        for m in db.session.scalars(sa.select(Match).where(Match.project_id == project.id))
    }
    rows = [
        (r.partner_id, "partner", r.fit, r.fit.reasons) for r in context["ranked"][:SAVED_RANKED]
    ]
    profile = mm.project_profiles(mm.project_query().where(Project.id == project.id))[0]
    partners = mm.partner_profiles()
    at = partners.index()
    for member in context["proposal"].members:
        fit = mm.explain(profile, partners.profiles[at[member.partner]])
        rows.append((int(member.partner), member.role, fit, member.reasons))
    written = 0
    for partner_id, role, fit, reasons in rows:
        if (partner_id, role) in kept:
            continue
        db.session.add(
            Match(
                project_id=project.id,
                partner_id=partner_id,
                role=role,
                score=fit.score,
                confidence=fit.confidence,
                components={c.name: c.value for c in fit.components},
                reasons=list(reasons),
            )
        )
        written += 1
    changes: dict = {"matches": written}
    if written and project.stage is Stage.PUBLISHED:
        changes["stage"] = {"from": Stage.PUBLISHED.value, "to": Stage.MATCHED.value}
        project.stage = Stage.MATCHED
    record("save_matches", "project", project.id, changes, user_id=user.id)
    commit_versioned("project")
    return written


def decide_interest(user: User, project_id: int, interest_id: int, decision: str) -> Interest:
    """Staff accept, decline or mark under review a partner's interest (audited)."""
    require_staff(user)
    allowed = {
        "accept": InterestStatus.ACCEPTED,
        "decline": InterestStatus.DECLINED,
        "review": InterestStatus.UNDER_REVIEW,
    }
    if decision not in allowed:
        raise InvalidInput("Choose accept, decline or review.")
    interest = db.session.get(Interest, interest_id)
    if interest is None or interest.project_id != project_id:
        raise NotFound(f"There is no interest {interest_id} on project {project_id}.")
    if interest.status is InterestStatus.WITHDRAWN:
        raise InvalidInput("The partner withdrew this interest; it cannot be decided.")
    before = interest.status
    interest.status = allowed[decision]
    record(
        "decide_interest",
        "interest",
        interest.id,
        {"status": {"from": before.value, "to": interest.status.value}, "project": project_id},
        user_id=user.id,
    )
    db.session.commit()
    return interest
