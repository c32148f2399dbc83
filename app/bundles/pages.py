"""What the bundle pages show: the edit page's rows, and the result page's tables and charts.

Read-only: these functions load and shape, the changes live in app.bundles.service.
"""

from __future__ import annotations

from sqlalchemy import select

from app.bundles.candidates import capex_years, city_candidates
from app.bundles.charts import budget_curve_svg, frontier_svg
from app.bundles.inputs import OBJECTIVES
from app.bundles.reviews import bundle_reviews
from app.bundles.service import get_bundle, list_bundles
from app.core.extensions import db
from app.core.permissions import require_staff
from app.engagements.committee import GROUP_LABELS, VOTE_LABELS, members_of, votes_by_review
from app.engagements.votes import vote_context, voters_for
from app.models import Bundle, BundleStatus, LimitKind, Role, Sector, User
from app.projects.reporting import Part, Report, ReportedTotal, currency_choices

__all__ = ["editor_rows", "bundle_page", "bundle_list"]

STATUS_WORDS = {
    "optimal": "optimal (proven within the requested gap)",
    "feasible": "feasible, not proven optimal",
    "time_limit": "stopped at the time limit: the best bundle found, not proven optimal",
    "infeasible": "infeasible: no bundle satisfies every limit",
}


def editor_rows(user: User, bundle_id: int) -> dict:
    """The bundle, the city's candidate rows and the budget years, for the edit page."""
    require_staff(user)
    bundle = get_bundle(user, bundle_id)
    rows = city_candidates(bundle.city_id, bundle.currency, bundle.price_base_year or 2024)
    saved = {lim.year for lim in bundle.limits if lim.kind is LimitKind.BUDGET and lim.year}
    return {
        "bundle": bundle,
        "rows": rows,
        "years": sorted(set(capex_years(rows)) | saved),
        "objectives": OBJECTIVES,
        "sectors": list(
            db.session.execute(select(Sector.id, Sector.name).order_by(Sector.position))
        ),
    }


def _reported_enpv(bundle: Bundle, report: Report) -> ReportedTotal | None:
    enpv = (bundle.result or {}).get("enpv_total")
    if enpv is None:
        return None
    return report.total([Part(float(enpv), bundle.currency, bundle.price_base_year or 2024)])


def bundle_list(user: User, *, city_id: int | None, page: int, size: int, report: Report) -> dict:
    """The bundles the user may see, each one's ENPV total also in the reporting currency."""
    context = list_bundles(user, city_id=city_id, page=page, size=size)
    return context | {
        "report": report,
        "currencies": currency_choices(),
        "reported": {b.id: _reported_enpv(b, report) for b in context["page"].items},
    }


def _reported_totals(bundle: Bundle, selection: list[dict], report: Report) -> dict:
    """The selection's ENPV and capex (all years) in the reporting currency."""
    base = bundle.price_base_year or 2024

    def total(values) -> ReportedTotal:
        return report.total([Part(float(v), bundle.currency, base) for v in values])

    return {
        "enpv": _reported_enpv(bundle, report),
        "capex": total(c for row in selection for c in row["costs"].values()),
    }


def bundle_page(user: User, bundle_id: int, report: Report | None = None) -> dict:
    """The bundle with its stored result shaped for display, its reviews and charts, and
    its totals in the reporting currency of ``report`` (default EUR)."""
    report = report or Report()
    bundle = get_bundle(user, bundle_id)
    result = bundle.result or {}
    base = bundle.price_base_year or 2024
    projects = {item.project_id: item.project for item in bundle.items}
    stored = result.get("rows", {})
    selection = []
    for pid in result.get("selected", []):
        values = stored.get(str(pid), {})
        project = projects.get(pid)
        selection.append(
            {
                "project_id": pid,
                "title": project.title if project else f"project {pid}",
                "sector": project.sector.name if project else "",
                "illustrative": bool(project and project.illustrative),
                "enpv": values.get("enpv"),
                "gap": values.get("gap", 0.0),
                "costs": {int(y): c for y, c in values.get("costs", {}).items()},
                "opex": values.get("opex", 0.0),
            }
        )
    years = sorted({y for row in selection for y in row["costs"]})
    chosen_point = None
    if result.get("enpv_total") is not None and result.get("frontier"):
        chosen_point = (result.get("gap_total", 0.0), result["enpv_total"])
    return {
        "bundle": bundle,
        "result": result,
        "status_words": STATUS_WORDS.get(result.get("status", ""), ""),
        "selection": selection,
        "years": years,
        "totals": {y: sum(r["costs"].get(y, 0.0) for r in selection) for y in years},
        "report": report,
        "currencies": currency_choices(),
        "reported": _reported_totals(bundle, selection, report),
        "reviews": (reviews := bundle_reviews(bundle.id)),
        "votes": votes_by_review([entry.id for entry in reviews]),
        "committee": (committee := members_of(bundle.city_id)),
        "voters": voters_for(user, committee),  # whose votes this user may record
        "vote_context": vote_context(user, bundle.city_id),
        "vote_labels": VOTE_LABELS,
        "group_labels": GROUP_LABELS,
        "objective_label": OBJECTIVES.get(bundle.objective, bundle.objective),
        "curve_svg": budget_curve_svg(
            result.get("curve", []),
            currency=bundle.currency,
            price_base_year=base,
            score_unit=result.get("score_unit", ""),
        ),
        "frontier_svg": frontier_svg(
            result.get("frontier", []),
            chosen=chosen_point,
            currency=bundle.currency,
            price_base_year=base,
        ),
        "is_staff": user.role is Role.STAFF,
        "can_review": user.role is Role.CITY and bundle.status is BundleStatus.SENT,
        "is_draft": bundle.status is BundleStatus.DRAFT,
        "is_decided": bundle.status
        in (BundleStatus.APPROVED, BundleStatus.REJECTED, BundleStatus.CHANGES_REQUESTED),
    }
