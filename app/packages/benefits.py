"""The economic benefit basis of a package line: the platform's own projects.

The solution catalogue publishes costs, not benefits. A project formulated from a
catalogue solution carries its yearly economic benefit and CO2 avoided
(``Project.assumptions``, turned into its ECONOMIC_BENEFIT and CO2_TONNES cash-flow
lines by :func:`app.projects.flows.flow_lines`): the only benefit figures the platform
has. A package line takes, per unit of the solution, the median of those projects'
figures divided by their quantity, brought to the package's currency and price base
(:func:`appraisal.analysis.price_base.convert_cost`). CO2 is valued in the appraisal at
the parameter set's shadow carbon price, as for projects.

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
from app.models import Project, ProjectTemplate
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


def _per_unit(project: Project, name: str, currency: str, year: int) -> float | None:
    amount = float((project.assumptions or {}).get(name) or 0)
    if amount <= 0:
        return None
    per_unit = amount / float(project.scale_quantity)
    if name == "co2_tonnes_per_year":
        return per_unit
    try:
        return convert_cost(
            per_unit, project.currency, project.price_base_year, to_currency=currency, to_year=year
        ).value
    except AppraisalError:  # a currency or year without price data: not used
        return None


def benefit_bases(currency: str, price_base_year: int) -> dict[str, BenefitBasis]:
    """Catalogue slug -> the benefit basis from the projects formulated from it."""
    rows = db.session.execute(
        sa.select(Project, ProjectTemplate.slug, ProjectTemplate.unit_short, ProjectTemplate.unit)
        .join(ProjectTemplate, Project.template_id == ProjectTemplate.id)
        .where(Project.scale_quantity > 0)
        .order_by(Project.id)
    ).all()
    found: dict[str, list[tuple[Project, float | None, float | None]]] = {}
    units: dict[str, str] = {}
    for project, slug, unit_short, unit in rows:
        benefit = _per_unit(project, "annual_economic_benefit", currency, price_base_year)
        co2 = _per_unit(project, "co2_tonnes_per_year", currency, price_base_year)
        if benefit is not None or co2 is not None:
            found.setdefault(slug, []).append((project, benefit, co2))
            units[slug] = unit_short or unit
    return {
        slug: _basis(uses, units[slug], currency, price_base_year) for slug, uses in found.items()
    }


def _basis(uses, unit: str, currency: str, year: int) -> BenefitBasis:
    benefits = [b for _, b, _ in uses if b is not None]
    tonnes = [t for _, _, t in uses if t is not None]
    benefit = statistics.median(benefits) if benefits else None
    co2 = statistics.median(tonnes) if tonnes else None
    parts = []
    if benefit is not None:
        parts.append(f"{currency} {benefit:,.2f} per {unit} a year ({year} prices)")
    if co2 is not None:
        parts.append(f"{co2:,.4g} t CO2 avoided per {unit} a year")
    titles = "; ".join(p.title for p, _, _ in uses[:TITLES_NAMED])
    more = f" and {len(uses) - TITLES_NAMED} more" if len(uses) > TITLES_NAMED else ""
    if all(p.illustrative for p, _, _ in uses):
        origin = "the demo set's illustrative figures, set as a share of capex"
    else:
        origin = "figures entered with the projects, no source recorded"
    basis = (
        f"illustrative: {' and '.join(parts)}, the median over {len(uses)} "
        f"project{'s' if len(uses) > 1 else ''} formulated from this solution "
        f"({titles}{more}), per unit of their quantity; {origin}"
    )
    return BenefitBasis(benefit, co2, basis)
