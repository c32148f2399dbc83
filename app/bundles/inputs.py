"""From a stored bundle and its candidate rows to the optimiser's input (appraisal.bundles).

Money enters the optimiser in millions of the bundle's currency, and every resource is
named with its unit ("capex 2027 in EUR m"), so the optimiser's own words (binding
limits, conflicts) read correctly on the page. Candidate ids are ``#<project id>``;
:func:`with_titles` puts the projects' titles back into those words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from app.bundles.candidates import CandidateRow
from app.core.extensions import db
from app.models import Bundle, LimitKind, Sector
from appraisal.bundling.optimiser import Candidate, SectorRule

__all__ = [
    "MILLION",
    "OBJECTIVES",
    "OptimiserInput",
    "build_input",
    "candidate_id",
    "project_id_of",
    "with_titles",
]

MILLION = 1e6
OBJECTIVES = {
    "enpv": "ENPV (economic net present value)",
    "gap_closure": "Gap closure weighted by gap size",
    "mix": "A weighted mix of ENPV and gap closure",
}


def candidate_id(project_id: int) -> str:
    return f"#{project_id}"


def project_id_of(cid: str) -> int:
    return int(cid.lstrip("#"))


def with_titles(text: str, titles: dict[int, str]) -> str:
    """Replace ``#12`` by the project's title and number."""

    def name(match: re.Match) -> str:
        pid = int(match.group(1))
        return f"“{titles[pid]}” (#{pid})" if pid in titles else match.group(0)

    return re.sub(r"#(\d+)", name, text)


@dataclass
class Resources:
    """Resource names of one bundle (they carry the money unit)."""

    unit: str  # e.g. "EUR m"

    def capex(self, year: int) -> str:
        return f"capex {year} in {self.unit}"

    @property
    def opex(self) -> str:
        return f"opex per year in {self.unit}"

    @property
    def capex_total(self) -> str:
        return f"capex of all years in {self.unit}"


@dataclass
class OptimiserInput:
    """Everything optimise_bundle, budget_curve and pareto_frontier need, plus context."""

    candidates: list[Candidate]
    limits: dict[str, float]
    sector_min: dict[str, list[SectorRule]]
    sector_max: dict[str, list[SectorRule]]
    must_include: list[str]
    must_exclude: list[str]
    scores: dict[str, float] | None  # None: Candidate.value (ENPV in millions)
    enpv_scores: dict[str, float] | None  # None when a candidate has no ENPV
    gap_scores: dict[str, float]
    budget_names: list[str]  # the finite yearly capex limits
    resources: Resources
    rows: dict[str, CandidateRow]
    left_out: list[tuple[CandidateRow, str]] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)  # reasons it cannot run at all
    limit_labels: dict[str, str] = field(default_factory=dict)

    def options(self) -> dict:
        return {
            "sector_min": self.sector_min,
            "sector_max": self.sector_max,
            "must_include": self.must_include,
            "must_exclude": self.must_exclude,
        }


def _usable(bundle: Bundle, rows: list[CandidateRow]) -> tuple[dict, list, list]:
    """Candidate rows the objective can use; the rest with the reason, in words."""
    chosen = {item.project_id for item in bundle.items}
    forced_in = {item.project_id for item in bundle.items if item.must_include}
    rules = bundle.rules or {}
    needs_enpv = bundle.objective in ("enpv", "mix")
    usable: dict[int, CandidateRow] = {}
    left: list[tuple[CandidateRow, str]] = []
    for row in rows:
        if row.project.id not in chosen:
            continue
        if not row.costs_known:
            left.append((row, row.note))
        elif needs_enpv and not row.appraised:
            left.append((row, "not appraised yet: left out of an ENPV objective"))
        else:
            usable[row.project.id] = row
    changed = True
    while changed:  # a project whose requirement is left out goes too (chains)
        changed = False
        for needer, needed in rules.get("requires", []):
            if needer in usable and needed not in usable:
                row = usable.pop(needer)
                left.append((row, f"needs #{needed}, which is not a usable candidate"))
                changed = True
    blocking = [
        f"#{row.project.id} must be included but is left out ({why}); untick Must include "
        "or fix the project"
        for row, why in left
        if row.project.id in forced_in
    ]
    return usable, left, blocking


def build_input(bundle: Bundle, rows: list[CandidateRow]) -> OptimiserInput:
    """The optimiser's input for ``bundle`` from the city's candidate rows."""
    res = Resources(f"{bundle.currency} m")
    rules = bundle.rules or {}
    usable, left, blocking = _usable(bundle, rows)
    items = {item.project_id: item for item in bundle.items}
    limits: dict[str, float] = {}
    labels: dict[str, str] = {}
    budgets = {lim.year: float(lim.amount) for lim in bundle.limits if lim.kind is LimitKind.BUDGET}
    years = sorted({year for row in usable.values() for year in row.costs})
    for year in years:
        amount = budgets.get(year)
        limits[res.capex(year)] = math.inf if amount is None else amount / MILLION
        labels[res.capex(year)] = f"capex budget for {year}"
    use_opex = None in budgets
    if use_opex:
        limits[res.opex] = budgets[None] / MILLION
        labels[res.opex] = "operating-cost budget per year"
    sector_min: dict[str, list[SectorRule]] = {}
    sector_max: dict[str, list[SectorRule]] = {}
    money_rule = False
    sector_names = _sector_names(bundle)
    for lim in bundle.limits:
        if lim.kind is LimitKind.BUDGET:
            continue
        target = sector_min if lim.kind is LimitKind.SECTOR_MIN else sector_max
        if lim.unit == "projects":
            rule = SectorRule(int(lim.amount))
        else:
            rule, money_rule = SectorRule(float(lim.amount) / MILLION, res.capex_total), True
        target.setdefault(sector_names.get(lim.sector_id, str(lim.sector_id)), []).append(rule)
    groups = {int(k): v for k, v in (rules.get("groups") or {}).items() if v}
    requires: dict[int, list[str]] = {}
    for needer, needed in rules.get("requires", []):
        if needer in usable and needed in usable:
            requires.setdefault(needer, []).append(candidate_id(needed))
    excludes: dict[int, list[str]] = {}
    for first, second in rules.get("excludes", []):
        if first in usable and second in usable:
            excludes.setdefault(first, []).append(candidate_id(second))
    candidates = []
    for pid, row in usable.items():
        costs = {res.capex(year): amount / MILLION for year, amount in row.costs.items()}
        if use_opex and row.opex_per_year:
            costs[res.opex] = row.opex_per_year / MILLION
        if money_rule and row.capex_total:
            costs[res.capex_total] = row.capex_total / MILLION
        candidates.append(
            Candidate(
                candidate_id(pid),
                (row.enpv or 0.0) / MILLION,
                costs,
                sector=row.project.sector.name,
                requires=requires.get(pid, ()),
                excludes=excludes.get(pid, ()),
                group=groups.get(pid),
            )
        )
    by_id = {candidate_id(pid): row for pid, row in usable.items()}
    enpv = {cid: row.enpv / MILLION for cid, row in by_id.items() if row.appraised}
    enpv_scores = enpv if len(enpv) == len(by_id) else None
    gap_scores = {cid: row.gap_closure for cid, row in by_id.items()}
    return OptimiserInput(
        candidates=candidates,
        limits=limits,
        sector_min=sector_min,
        sector_max=sector_max,
        must_include=[candidate_id(p) for p in usable if items[p].must_include],
        must_exclude=[candidate_id(p) for p in usable if items[p].must_exclude],
        scores=_scores(bundle, enpv, gap_scores),
        enpv_scores=enpv_scores,
        gap_scores=gap_scores,
        budget_names=[n for n in limits if n != res.opex and math.isfinite(limits[n])],
        resources=res,
        rows=by_id,
        left_out=left,
        blocking=blocking,
        limit_labels=labels,
    )


def _sector_names(bundle: Bundle) -> dict[int, str]:
    ids = {lim.sector_id for lim in bundle.limits if lim.sector_id is not None}
    return {sid: db.session.get(Sector, sid).name for sid in ids}


def _scores(bundle: Bundle, enpv: dict, gaps: dict) -> dict[str, float] | None:
    if bundle.objective == "gap_closure":
        return dict(gaps)
    if bundle.objective != "mix":
        return None
    # Two units cannot be added: each is scaled by its largest magnitude among the
    # candidates, so the weight says how much each objective counts.
    weight = float((bundle.rules or {}).get("enpv_weight", 0.5))
    top_enpv = max((abs(v) for v in enpv.values()), default=0.0) or 1.0
    top_gap = max((abs(v) for v in gaps.values()), default=0.0) or 1.0
    return {
        cid: weight * enpv.get(cid, 0.0) / top_enpv + (1 - weight) * gaps[cid] / top_gap
        for cid in gaps
    }
