"""From a catalogue solution scaled to a city to a project's yearly cash-flow lines.

The published unit costs keep their source's currency and price year; they are brought
to the project's price base with appraisal.price_base, and the conversion is kept so
it can be shown next to the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import FlowKind, ProjectTemplate
from appraisal.analysis.cashflows import ProjectInputs, Replacement, build_flows
from appraisal.analysis.price_base import convert_cost

# When a catalogue row publishes no operating cost: a common planning share of capex.
DEFAULT_OPEX_SHARE = 0.02
DEFAULT_LIFETIME_YEARS = 20


@dataclass(frozen=True)
class ScaledSolution:
    """What a scaled catalogue solution costs, in the project's currency and price base."""

    capex_total: float
    annual_opex: float
    lifetime_years: int
    currency: str
    price_base_year: int
    explanation: list[str] = field(default_factory=list)


def scale_template(
    template: ProjectTemplate, quantity: float, *, currency: str, price_base_year: int
) -> ScaledSolution:
    """Cost of ``quantity`` units of a catalogue solution, converted to the price base."""
    if template.capex_per_unit_central is None:
        raise ValueError(f"The catalogue solution '{template.name}' has no central unit cost.")
    unit_cost = convert_cost(
        float(template.capex_per_unit_central),
        template.currency,
        template.price_year,
        to_currency=currency,
        to_year=price_base_year,
    )
    capex = unit_cost.value * quantity
    explanation = [
        f"Unit cost as published: {unit_cost.explain()}",
        f"Capex = {quantity:,.2f} {template.unit_short or template.unit} x "
        f"{currency} {unit_cost.value:,.2f} = {currency} {capex:,.0f} ({price_base_year} prices)",
    ]
    if template.opex_per_unit_per_year is not None:
        opex_unit = convert_cost(
            float(template.opex_per_unit_per_year),
            template.currency,
            template.price_year,
            to_currency=currency,
            to_year=price_base_year,
        )
        opex = opex_unit.value * quantity
        explanation.append(f"Opex = {quantity:,.2f} x {currency} {opex_unit.value:,.2f} a year")
    elif template.opex_pct_of_capex is not None:
        opex = capex * float(template.opex_pct_of_capex) / 100
        explanation.append(f"Opex = {template.opex_pct_of_capex} % of capex a year (published)")
    else:
        opex = capex * DEFAULT_OPEX_SHARE
        explanation.append(
            f"Opex = {DEFAULT_OPEX_SHARE:.0%} of capex a year (assumption: the source gives none)"
        )
    lifetime = round(template.lifetime_years or DEFAULT_LIFETIME_YEARS)
    return ScaledSolution(capex, opex, max(1, lifetime), currency, price_base_year, explanation)


def flow_lines(
    solution: ScaledSolution,
    *,
    start_year: int,
    horizon_years: int,
    annual_revenue: float = 0.0,
    annual_economic_benefit: float = 0.0,
    co2_tonnes_per_year: float = 0.0,
) -> list[tuple[int, FlowKind, float]]:
    """Yearly lines (year offset, kind, amount): capex over one or two years, opex,
    revenue, benefits and CO2 while operating, replacements, and the residual value."""
    construction = 1 if solution.capex_total < 5e6 else 2
    capex = [solution.capex_total / construction] * construction
    replacements = ()
    if solution.lifetime_years < horizon_years - construction:
        replacements = (Replacement("renewal", solution.capex_total, solution.lifetime_years),)
    flows = build_flows(
        ProjectInputs(
            start_year=start_year,
            horizon=horizon_years,
            capex=capex,
            currency=solution.currency,
            price_base_year=solution.price_base_year,
            fixed_opex=solution.annual_opex,
            other_revenue=annual_revenue,
            replacements=replacements,
            asset_life=solution.lifetime_years,
        )
    )
    operating = [year >= construction for year in range(horizon_years)]
    lines: list[tuple[int, FlowKind, float]] = []
    by_kind = {
        FlowKind.CAPEX: flows.capex,
        FlowKind.REPLACEMENT: flows.replacement,
        FlowKind.OPEX_FIXED: flows.fixed_opex,
        FlowKind.REVENUE: flows.revenue,
        FlowKind.RESIDUAL_VALUE: flows.residual,
    }
    for kind, values in by_kind.items():
        lines += [(year, kind, float(v)) for year, v in enumerate(values) if v]
    for kind, amount in (
        (FlowKind.ECONOMIC_BENEFIT, annual_economic_benefit),
        (FlowKind.CO2_TONNES, co2_tonnes_per_year),
    ):
        if amount:
            lines += [(year, kind, float(amount)) for year, on in enumerate(operating) if on]
    return lines
