"""Annual reviews of an engagement's action plan, one per year: the milestones due, done
and late against the plan, the projects' progress reports of the year (the monitoring
room's reports) and how the KPIs the projects target moved between a baseline year and
the review year (the city's recorded values, with units and years). Staff write the
findings and save; the figures are kept with the review as they were that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.action_plans.plan import STATUS_LABELS, plan_of, plan_projects
from app.core.audit import record
from app.core.errors import Conflict
from app.core.extensions import db
from app.core.permissions import require_staff
from app.engagements.service import FieldError, engagement_for, today
from app.models import AnnualReview, Engagement, MilestoneStatus, User
from app.monitoring.service import STATUSES, list_reports, trajectory

__all__ = ["ReviewInput", "review_figures", "reviews_of", "save_review"]

FIRST_YEAR = 2000
MANY_REPORTS = 500  # one page holds every report of a city's year


@dataclass(frozen=True)
class ReviewInput:
    year: int | None
    baseline_year: int | None
    findings: str


def reviews_of(user: User, engagement_id: int) -> tuple[Engagement, list[AnnualReview]]:
    """The engagement and its saved reviews, newest year first (staff, city, team)."""
    engagement = engagement_for(user, engagement_id)
    reviews = db.session.scalars(
        select(AnnualReview)
        .where(AnnualReview.engagement_id == engagement.id)
        .order_by(AnnualReview.year.desc())
    )
    return engagement, list(reviews)


def _milestones(plan, year: int, on: date) -> dict:
    """Each milestone due by the end of ``year`` against its plan, counted."""
    end = date(year, 12, 31)
    cutoff = min(end, on)
    rows, due, done, late = [], 0, 0, 0
    for m in plan.milestones if plan else []:
        if m.due_on > end or m.status is MilestoneStatus.DROPPED:
            continue
        due += 1
        finished = m.status is MilestoneStatus.DONE and m.done_on is not None and m.done_on <= end
        is_late = (not finished and m.due_on < cutoff) or (finished and m.done_on > m.due_on)
        done += finished
        late += is_late
        rows.append({
            "project": m.project.title, "name": m.name, "owner": m.owner,
            "due_on": m.due_on.isoformat(), "status": STATUS_LABELS[m.status],
            "done_on": m.done_on.isoformat() if m.done_on else None, "late": is_late,
        })  # fmt: skip
    return {"due": due, "done": done, "late": late, "rows": rows}


def _reports(user: User, engagement: Engagement, year: int, project_ids: set[int]) -> list[dict]:
    page = list_reports(user, city_id=engagement.city_id, year=year, size=MANY_REPORTS)
    rows = []
    for report in page.items:
        if report.project_id is not None and report.project_id not in project_ids:
            continue
        rows.append({
            "id": report.id,
            "project": report.project.title if report.project else "The city as a whole",
            "status": STATUSES.get(report.status, report.status),
            "narrative": report.narrative,
            "actuals": [
                {"kpi": f"{a.kpi.code} {a.kpi.name}", "unit": a.kpi.unit or "",
                 "planned": a.planned, "actual": a.actual}
                for a in report.actuals
            ],
        })  # fmt: skip
    return rows


def _kpi_movement(user: User, engagement: Engagement, projects, year: int, baseline: int):
    """The KPIs the plan's projects target: value in the baseline and review year."""
    rows = []
    kpis = {k.id: k for p in projects for k in p.kpis}
    for kpi in sorted(kpis.values(), key=lambda k: k.code):
        path = trajectory(user, engagement.city_id, kpi.id)
        values = {v.year: v for v in path.values}
        before, after = values.get(baseline), values.get(year)
        unit = (after.unit if after else None) or (before.unit if before else None) or kpi.unit
        change = None if before is None or after is None else after.value - before.value
        better = None
        if change is not None and change != 0:
            better = (change > 0) == (kpi.direction.value == "higher")
        rows.append({
            "kpi": f"{kpi.code} {kpi.name}", "unit": unit or "", "direction": kpi.direction.value,
            "baseline": before.value if before else None, "value": after.value if after else None,
            "change": change, "better": better,
            "projects": sorted(p.title for p in projects if kpi in p.kpis),
            "illustrative": any(v.illustrative for v in (before, after) if v is not None),
        })  # fmt: skip
    return rows


def _years(engagement: Engagement, year: int | None, baseline: int | None) -> tuple[int, int]:
    if year is None:
        raise FieldError("year", "Give the year reviewed (e.g. 2027).")
    first = engagement.requested_on.year
    if year < first or year > today().year:
        raise FieldError(
            "year", f"The year reviewed must fall between the request ({first}) and this year."
        )
    baseline = min(first, year - 1) if baseline is None else baseline
    if baseline < FIRST_YEAR or baseline >= year:
        raise FieldError(
            "baseline_year",
            f"The baseline year must be before the year reviewed and from {FIRST_YEAR} on.",
        )
    return year, baseline


def review_figures(user: User, engagement_id: int, year: int | None, baseline: int | None):
    """The figures a review of ``year`` compares (staff, before saving)."""
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    year, baseline = _years(engagement, year, baseline)
    plan = plan_of(engagement.id)
    projects = plan_projects(plan) if plan else []
    return {
        "year": year,
        "baseline_year": baseline,
        "plan_agreed_on": plan.agreed_on.isoformat() if plan and plan.agreed_on else None,
        "milestones": _milestones(plan, year, today()),
        "reports": _reports(user, engagement, year, {p.id for p in projects}),
        "kpis": _kpi_movement(user, engagement, projects, year, baseline),
    }


def save_review(user: User, engagement_id: int, data: ReviewInput) -> AnnualReview:
    """Save the review of a year with its findings and figures; one per year."""
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    year, baseline = _years(engagement, data.year, data.baseline_year)
    earlier = db.session.scalar(
        select(AnnualReview).where(
            AnnualReview.engagement_id == engagement.id, AnnualReview.year == year
        )
    )
    if earlier is not None:
        raise FieldError("year", _duplicate(year, earlier))
    findings = data.findings.strip()
    if not findings:
        raise FieldError("findings", "Write the review's findings (what the figures show).")
    figures = review_figures(user, engagement_id, year, baseline)
    review = AnnualReview(
        engagement_id=engagement.id,
        year=year,
        baseline_year=baseline,
        findings=findings,
        figures=figures,
        created_by_id=user.id,
    )
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:  # another review of the year was saved a moment ago
        db.session.rollback()
        raise Conflict(
            f"A review of {year} was saved by someone else at the same moment; nothing of "
            "yours was saved. Open the reviews to see it (one review per year)."
        ) from None
    record("annual_review", "engagement", engagement.id, {"review_id": review.id, "year": year,
           "baseline_year": baseline}, user_id=user.id)  # fmt: skip
    db.session.commit()
    return review


def _duplicate(year: int, earlier: AnnualReview) -> str:
    return (
        f"This engagement has a review of {year} already (saved "
        f"{earlier.created_at:%Y-%m-%d}): there is one review per year. Open it below, or "
        "review another year."
    )
