"""A city's candidate projects for a bundle, with values and costs in the bundle's money.

Values: ENPV from the newest appraisal run's summary (contract: app.appraisals.service
.latest_summaries), and gap closure weighted by gap size (appraisal.kpi_gaps.gap_closure
over the city's KPI gaps). Costs: each project's capex and replacement lines by calendar
year (start year + year offset) and its average yearly operating cost. Every amount is
brought from the project's (or the run's) currency and price base to the bundle's with
appraisal.price_base.convert_cost, so budgets and values share one unit.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.appraisals.service import latest_summaries
from app.cities.gaps import city_gaps
from app.core.extensions import db
from app.models import CashFlowLine, FlowKind, Kpi, Project, Stage
from app.models.project import project_kpi
from appraisal.analysis.kpi_gaps import gap_closure
from appraisal.analysis.price_base import convert_cost
from appraisal.errors import PriceBaseError

__all__ = ["CandidateRow", "city_candidates", "capex_years", "money_factor"]

CAPEX_KINDS = (FlowKind.CAPEX, FlowKind.REPLACEMENT)
OPEX_KINDS = (FlowKind.OPEX_FIXED, FlowKind.OPEX_VARIABLE)


@dataclass
class CandidateRow:
    """One project as a bundle candidate; money in the bundle's currency and price base."""

    project: Project
    enpv: float | None  # None: not appraised yet (or its money could not be converted)
    gap_closure: float
    costs: dict[int, float] = field(default_factory=dict)  # calendar year -> capex
    opex_per_year: float = 0.0
    kpi_codes: list[str] = field(default_factory=list)
    note: str = ""  # why a value is missing, in words
    costs_known: bool = True  # False when its money cannot be brought to the bundle's

    @property
    def appraised(self) -> bool:
        return self.enpv is not None

    @property
    def capex_total(self) -> float:
        return sum(self.costs.values())


@functools.cache
def money_factor(currency: str, year: int, to_currency: str, to_year: int) -> float:
    """What one unit of ``currency`` at ``year`` prices is worth in the bundle's money."""
    if currency == to_currency and year == to_year:
        return 1.0
    return convert_cost(
        1.0, currency, int(year), to_currency=to_currency, to_year=int(to_year)
    ).value


def _factor(currency: str, year: int | None, to_currency: str, to_year: int) -> float | None:
    try:
        return money_factor(currency, int(year or to_year), to_currency, to_year)
    except PriceBaseError:
        return None


def city_candidates(
    city_id: int, currency: str, price_base_year: int, *, with_gaps: bool = True
) -> list[CandidateRow]:
    """Every project of the city that is not dropped, with its values and costs.

    Four queries whatever the number of projects (projects, cash-flow cells, KPI
    codes, appraisal summaries) plus the city's gap assessment.
    """
    projects = list(
        db.session.scalars(
            select(Project)
            .where(Project.city_id == city_id, Project.stage != Stage.DROPPED)
            .options(selectinload(Project.sector))
            .order_by(Project.sector_id, Project.title, Project.id)
        )
    )
    if not projects:
        return []
    flows: dict[int, dict[tuple[int, FlowKind], float]] = defaultdict(dict)
    for pid, year, kind, amount in db.session.execute(
        select(CashFlowLine.project_id, CashFlowLine.year, CashFlowLine.kind, CashFlowLine.amount)
        .join(Project, Project.id == CashFlowLine.project_id)
        .where(
            Project.city_id == city_id,
            Project.stage != Stage.DROPPED,
            CashFlowLine.kind.in_(CAPEX_KINDS + OPEX_KINDS),
        )
    ):
        flows[pid][(year, kind)] = float(amount or 0)
    codes: dict[int, list[str]] = defaultdict(list)
    for pid, code in db.session.execute(
        select(project_kpi.c.project_id, Kpi.code)
        .join(Kpi, Kpi.id == project_kpi.c.kpi_id)
        .join(Project, Project.id == project_kpi.c.project_id)
        .where(Project.city_id == city_id, Project.stage != Stage.DROPPED)
    ):
        codes[pid].append(code)
    summaries = latest_summaries([p.id for p in projects])
    gaps = city_gaps(city_id).gap_by_code() if with_gaps else {}
    return [
        _row(
            p,
            flows.get(p.id, {}),
            codes.get(p.id, []),
            summaries.get(p.id),
            gaps,
            currency,
            price_base_year,
        )  # fmt: skip
        for p in projects
    ]


def _row(project, cells, kpi_codes, summary, gaps, currency, price_base_year) -> CandidateRow:
    notes = []
    factor = _factor(project.currency, project.price_base_year, currency, price_base_year)
    costs: dict[int, float] = defaultdict(float)
    opex: dict[int, float] = defaultdict(float)
    if factor is None:
        notes.append(
            f"its costs ({project.currency}, {project.price_base_year} prices) cannot be "
            f"brought to {currency} at {price_base_year} prices"
        )
    else:
        for (offset, kind), amount in cells.items():
            year = project.start_year + offset
            if kind in CAPEX_KINDS:
                costs[year] += amount * factor
            else:
                opex[year] += amount * factor
    running = [v for v in opex.values() if v > 0]
    enpv = None
    if summary and summary.get("enpv") is not None:
        run_factor = _factor(
            summary.get("currency") or project.currency,
            summary.get("price_base_year") or project.price_base_year,
            currency,
            price_base_year,
        )
        if run_factor is None:
            notes.append("its appraisal's currency cannot be converted")
        else:
            enpv = float(summary["enpv"]) * run_factor
    else:
        notes.append("not appraised yet")
    return CandidateRow(
        project=project,
        enpv=enpv,
        gap_closure=gap_closure(kpi_codes, gaps),
        costs={y: round(v, 2) for y, v in sorted(costs.items()) if v},
        opex_per_year=sum(running) / len(running) if running else 0.0,
        kpi_codes=sorted(kpi_codes),
        note="; ".join(notes),
        costs_known=factor is not None,
    )


def capex_years(rows: list[CandidateRow]) -> list[int]:
    """Calendar years in which any of the rows spends capex."""
    return sorted({year for row in rows for year in row.costs})
