"""The economic benefit basis of a package line: the platform's own projects.

The solution catalogue publishes costs, not benefits. A project formulated from a
catalogue solution carries its yearly economic benefit and CO2 avoided as cash-flow
lines (ECONOMIC_BENEFIT and CO2_TONNES, made by :func:`app.projects.flows.flow_lines`
from the formulation's inputs, or typed on the cash-flow grid), which its appraisal
reads: the only benefit figures the platform has. A package line takes, per unit of
the solution, the median over those projects of their yearly figure at full operation
(the largest yearly line) divided by their quantity, brought to the package's currency
and price base (:func:`appraisal.analysis.price_base.convert_cost`). CO2 is valued in
the appraisal at the parameter set's shadow carbon price, as for projects.

No project records a source for its benefit figures (the demo set's are a share of
capex, seeds/demo/projects.csv), so every such basis is labelled "illustrative" and
says what it is based on. A solution no project uses has no basis: its ENPV and B/C
are not computed.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import sqlalchemy as sa

from app.core.extensions import db
from app.models import CashFlowLine, FlowKind, Project, ProjectTemplate
from appraisal.analysis.price_base import convert_cost
from appraisal.errors import AppraisalError

__all__ = ["BenefitBasis", "benefit_bases"]

TITLES_NAMED = 2


@dataclass(frozen=True)
class BenefitBasis:
    """Per unit of a solution: economic benefit a year (package money), CO2 avoided a year."""

    benefit_per_unit: float | None
    co2_tonnes_per_unit: float | None
    basis: str  # what the figures are based on, starting "illustrative"


@dataclass(frozen=True)
class _Use:
    title: str
    illustrative: bool
    benefit: float | None  # per unit, package money
    co2: float | None  # per unit


def _factors(currency: str, year: int):
    """(project currency, price year) -> the factor to the package's money (a conversion
    is proportional to the amount, so one per pair is enough)."""
    found: dict[tuple[str, int], float | None] = {}

    def factor(source: str, source_year: int) -> float | None:
        key = (source, source_year)
        if key not in found:
            try:
                found[key] = convert_cost(
                    1.0, source, source_year, to_currency=currency, to_year=year
                ).value
            except AppraisalError:  # a currency or year without price data: not used
                found[key] = None
        return found[key]

    return factor


def benefit_bases(currency: str, price_base_year: int) -> dict[str, BenefitBasis]:
    """Catalogue slug -> the benefit basis from the projects formulated from it."""

    def largest(kind: FlowKind):
        return sa.func.max(sa.case((CashFlowLine.kind == kind, CashFlowLine.amount)))

    per_project = (
        sa.select(
            CashFlowLine.project_id,
            largest(FlowKind.ECONOMIC_BENEFIT).label("benefit"),
            largest(FlowKind.CO2_TONNES).label("co2"),
        )
        .where(CashFlowLine.kind.in_([FlowKind.ECONOMIC_BENEFIT, FlowKind.CO2_TONNES]))
        .group_by(CashFlowLine.project_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Project.title,
            Project.illustrative,
            Project.currency,
            Project.price_base_year,
            Project.scale_quantity,
            ProjectTemplate.slug,
            sa.func.coalesce(ProjectTemplate.unit_short, ProjectTemplate.unit).label("unit"),
            per_project.c.benefit,
            per_project.c.co2,
        )
        .join(ProjectTemplate, Project.template_id == ProjectTemplate.id)
        .join(per_project, per_project.c.project_id == Project.id)
        .where(Project.scale_quantity > 0)
        .order_by(Project.id)
    ).all()
    factor = _factors(currency, price_base_year)
    found: dict[str, list[_Use]] = {}
    units: dict[str, str] = {}
    for row in rows:
        benefit = co2 = None
        quantity = float(row.scale_quantity)
        if row.benefit and row.benefit > 0:
            rate = factor(row.currency, row.price_base_year)
            benefit = None if rate is None else float(row.benefit) / quantity * rate
        if row.co2 and row.co2 > 0:
            co2 = float(row.co2) / quantity
        if benefit is not None or co2 is not None:
            found.setdefault(row.slug, []).append(_Use(row.title, row.illustrative, benefit, co2))
            units[row.slug] = row.unit
    return {
        slug: _basis(uses, units[slug], currency, price_base_year) for slug, uses in found.items()
    }


def _basis(uses: list[_Use], unit: str, currency: str, year: int) -> BenefitBasis:
    benefits = [u.benefit for u in uses if u.benefit is not None]
    tonnes = [u.co2 for u in uses if u.co2 is not None]
    benefit = statistics.median(benefits) if benefits else None
    co2 = statistics.median(tonnes) if tonnes else None
    parts = []
    if benefit is not None:
        parts.append(f"{currency} {benefit:,.2f} per {unit} a year ({year} prices)")
    if co2 is not None:
        parts.append(f"{co2:,.4g} t CO2 avoided per {unit} a year")
    titles = "; ".join(u.title for u in uses[:TITLES_NAMED])
    more = f" and {len(uses) - TITLES_NAMED} more" if len(uses) > TITLES_NAMED else ""
    if all(u.illustrative for u in uses):
        origin = "illustrative projects (demo or load-test data: benefit set as a share of capex)"
    else:
        origin = "figures entered with the projects, no source recorded"
    basis = (
        f"illustrative: {' and '.join(parts)}, the median over {len(uses)} "
        f"project{'s' if len(uses) > 1 else ''} formulated from this solution "
        f"({titles}{more}), their yearly figure at full operation per unit of their "
        f"quantity; {origin}"
    )
    return BenefitBasis(benefit, co2, basis)
