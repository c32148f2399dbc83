"""Smart product packages: the catalogue solutions that close the gaps a group of cities shares.

A package is composed for one group of cities (a development level, see
``matching.grouping``):

1. **Shared gaps**: the KPIs on which at least ``min_share`` of the members have a gap
   of ``min_gap`` or more (a member without a value on the KPI does not count as having
   the gap; the count of members without data is kept).
2. **Solutions**: for each shared gap, the ``per_gap`` catalogue solutions that move it
   and close the most of the group's median gaps (:func:`appraisal.analysis.kpi_gaps.
   gap_closure`), each taken once.
3. **Sizing**: for the group's typical city (median population of the members with one
   on record): quantity = population x units per inhabitant, at least 1 (one for the
   whole city when the solution has no per-inhabitant rule). Capex and opex are the unit
   costs times the quantity, all on one currency and price base given by the caller.
4. **Indicative appraisal** per solution with the engine's own functions: yearly flows
   (:func:`appraisal.analysis.cashflows.build_flows`), funding gap
   (:func:`appraisal.analysis.cba.funding_gap`) and, where the caller states a benefit
   per unit or CO2 avoided per unit (illustrative unless sourced; CO2 at the parameter
   set's shadow carbon price), ENPV and B/C
   (:func:`appraisal.analysis.economic.economic_analysis`). The package's figures add
   the solutions' present values up (:func:`appraisal.bundling.package_types.
   package_totals`: same discount rates, so they add).
5. **Best under a budget** for one city: the package's solutions re-sized for the city,
   valued by the gap each closes in that city, chosen by the bundle engine
   (:func:`appraisal.bundling.optimiser.optimise_bundle`) within the capex budget.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

import numpy as np

from appraisal.analysis.cashflows import ProjectInputs, Replacement, build_flows
from appraisal.analysis.cba import funding_gap
from appraisal.analysis.economic import EconomicInputs, economic_analysis
from appraisal.analysis.kpi_gaps import gap_closure
from appraisal.analysis.parameter_types import ParameterSet
from appraisal.bundling.explain import BundleResult
from appraisal.bundling.inputs import Candidate
from appraisal.bundling.optimiser import optimise_bundle
from appraisal.bundling.package_types import (
    Offer,
    Package,
    PackageLine,
    PackageTotals,
    SharedGap,
    package_totals,
)
from appraisal.errors import InvalidParameterError

__all__ = [
    "ASSUMED_POPULATION",
    "Offer",
    "SharedGap",
    "PackageLine",
    "Package",
    "PackageTotals",
    "package_totals",
    "shared_gaps",
    "size_line",
    "compose_package",
    "appraise_line",
    "best_for_city",
]

ASSUMED_POPULATION = 100_000
MIN_GAP = 0.05
MIN_SHARE = 0.5
CAPEX_SPLIT_ABOVE = 5e6  # capex above this is spread over two construction years


def shared_gaps(
    member_gaps: Mapping[str, Mapping[str, float | None]],
    *,
    min_gap: float = MIN_GAP,
    min_share: float = MIN_SHARE,
) -> tuple[SharedGap, ...]:
    """The KPIs most members fall short on, the most shared first.

    >>> [g.code for g in shared_gaps({"a": {"K1": 0.4, "K2": 0.0}, "b": {"K1": 0.2}})]
    ['K1']
    """
    members = len(member_gaps)
    if not members:
        raise InvalidParameterError("a package needs a group with at least one member city")
    codes = sorted({code for gaps in member_gaps.values() for code in gaps})
    found = []
    for code in codes:
        values = [g.get(code) for g in member_gaps.values()]
        known = [float(v) for v in values if v is not None and not np.isnan(v)]
        short = sum(1 for v in known if v >= min_gap)
        if known and short / members >= min_share:
            found.append(
                SharedGap(code, short, members - len(known), members, statistics.median(known))
            )
    found.sort(key=lambda g: (-g.members_with_gap, -g.median_gap, g.code))
    return tuple(found)


def typical_population(populations: Sequence[int | None]) -> tuple[int, str]:
    """Median population of the members that have one, and how it was found."""
    known = sorted(int(p) for p in populations if p)
    if not known:
        return ASSUMED_POPULATION, (
            f"an assumed {ASSUMED_POPULATION:,} inhabitants: no member has a population on record"
        )
    return int(statistics.median(known)), (
        f"median population of the {len(known)} of {len(populations)} members with one on record"
    )


def size_line(offer: Offer, population: int) -> tuple[int, str]:
    """Quantity of ``offer`` for a city of ``population``, and the rule used.

    >>> o = Offer("led", "LED", "Energy", "streetlight", ("K",), 500.0, 5.0, 20, 0.1)
    >>> size_line(o, 40_000)
    (4000, '0.1 streetlight per inhabitant x 40,000 inhabitants')
    """
    if offer.per_inhabitant is None:
        return 1, f"1 {offer.unit} for the whole city"
    if offer.per_inhabitant < 0:
        raise InvalidParameterError(f"{offer.name}: units per inhabitant must be >= 0")
    quantity = max(1, round(population * offer.per_inhabitant))
    return (
        quantity,
        f"{offer.per_inhabitant:g} {offer.unit} per inhabitant x {population:,} inhabitants",
    )


def _appraise(offer: Offer, quantity: int, params: ParameterSet, *, currency, base, start, horizon):
    if not offer.unit_capex > 0:
        raise InvalidParameterError(f"{offer.name}: give a unit capex above zero to cost it")
    capex = offer.unit_capex * quantity
    opex = offer.unit_opex * quantity
    construction = 1 if capex < CAPEX_SPLIT_ABOVE else 2
    replacements = ()
    if offer.lifetime_years < horizon - construction:
        replacements = (Replacement("renewal", capex, offer.lifetime_years),)
    flows = build_flows(
        ProjectInputs(
            start_year=start,
            horizon=horizon,
            capex=[capex / construction] * construction,
            currency=currency,
            price_base_year=base,
            fixed_opex=opex,
            other_revenue=offer.annual_revenue_per_unit * quantity,
            replacements=replacements,
            asset_life=offer.lifetime_years,
        )
    )
    gap = funding_gap(flows, params)
    if offer.annual_benefit_per_unit is None and not offer.co2_tonnes_per_unit:
        note = "no benefit basis for this solution: ENPV and B/C not computed"
        return capex, opex, gap, None, note
    on = [1.0 if year >= construction else 0.0 for year in range(horizon)]
    benefit = (offer.annual_benefit_per_unit or 0.0) * quantity
    benefits = {"stated benefit": [benefit * o for o in on]} if benefit else {}
    co2 = [offer.co2_tonnes_per_unit * quantity * o for o in on]
    economic = economic_analysis(
        flows, params, EconomicInputs(benefits=benefits, co2_tonnes=co2 if any(co2) else None)
    )
    parts = []
    if offer.annual_benefit_per_unit is not None:
        parts.append(f"benefit {currency} {offer.annual_benefit_per_unit:,.2f} per unit a year")
    if offer.co2_tonnes_per_unit:
        parts.append(f"{offer.co2_tonnes_per_unit:,.4g} t CO2 avoided per unit a year")
    note = f"{' and '.join(parts)} ({offer.benefit_source})"
    return capex, opex, gap, economic, note


def appraise_line(
    offer: Offer,
    quantity: int,
    params: ParameterSet,
    *,
    currency: str,
    price_base_year: int,
    start_year: int,
    horizon_years: int,
    quantity_note: str = "",
    closes: tuple[str, ...] = (),
    score: float = 0.0,
) -> PackageLine:
    """Cost and indicative appraisal of ``quantity`` units of ``offer`` (capex and opex
    are the unit costs times the quantity, on the caller's one price base)."""
    if quantity < 1:
        raise InvalidParameterError(f"{offer.name}: quantity is {quantity}; give 1 or more")
    capex, opex, gap, economic, appraisal_note = _appraise(
        offer, quantity, params, currency=currency, base=price_base_year, start=start_year,
        horizon=horizon_years,
    )  # fmt: skip
    return PackageLine(
        offer=offer,
        quantity=quantity,
        quantity_note=quantity_note,
        capex=capex,
        annual_opex=opex,
        closes=closes,
        score=score,
        funding_gap_rate=gap.rate,
        dic=gap.dic.amount,
        dnr=gap.dnr.amount,
        enpv=economic.enpv.amount if economic else None,
        bc_ratio=economic.bc_ratio if economic else None,
        pv_benefits=economic.pv_benefits.amount if economic else None,
        pv_costs=economic.pv_costs.amount if economic else None,
        appraisal_note=appraisal_note,
    )


def compose_package(
    member_gaps: Mapping[str, Mapping[str, float | None]],
    populations: Sequence[int | None],
    offers: Sequence[Offer],
    params: ParameterSet,
    *,
    currency: str,
    price_base_year: int,
    start_year: int,
    horizon_years: int = 20,
    per_gap: int = 2,
    min_gap: float = MIN_GAP,
    min_share: float = MIN_SHARE,
) -> Package:
    """The package for a group: its shared gaps, the solutions, sized, costed, appraised."""
    if horizon_years < 3:
        raise InvalidParameterError(f"horizon_years is {horizon_years}; give 3 years or more")
    gaps = shared_gaps(member_gaps, min_gap=min_gap, min_share=min_share)
    median_gap = {g.code: g.median_gap for g in gaps}
    population, population_note = typical_population(populations)
    chosen: dict[str, tuple[Offer, float]] = {}
    for gap in gaps:
        movers = [o for o in offers if gap.code in o.kpi_codes]
        ranked = sorted(
            movers, key=lambda o: (-gap_closure(o.kpi_codes, median_gap), o.unit_capex, o.key)
        )
        for offer in ranked[:per_gap]:
            chosen.setdefault(offer.key, (offer, gap_closure(offer.kpi_codes, median_gap)))
    money = {"currency": currency, "price_base_year": price_base_year, "start_year": start_year}
    lines = []
    for offer, score in chosen.values():
        quantity, note = size_line(offer, population)
        closes = tuple(c for c in offer.kpi_codes if c in median_gap)
        lines.append(
            appraise_line(
                offer, quantity, params, horizon_years=horizon_years, quantity_note=note,
                closes=closes, score=score, **money,
            )
        )  # fmt: skip
    notes = []
    if not gaps:
        notes.append(
            f"no KPI on which {min_share * 100:.0f} % of the members fall short "
            f"by {min_gap * 100:.0f} %"
        )
    uncovered = [g.code for g in gaps if not any(g.code in o.kpi_codes for o in offers)]
    if uncovered:
        notes.append("no catalogue solution moves " + ", ".join(uncovered))
    return Package(
        gaps=gaps,
        lines=tuple(lines),
        population=population,
        population_note=population_note,
        currency=currency,
        price_base_year=price_base_year,
        horizon_years=horizon_years,
        notes=tuple(notes),
    )


def best_for_city(
    offers: Sequence[Offer],
    city_gaps: Mapping[str, float],
    population: int,
    budget: float,
    params: ParameterSet,
    *,
    currency: str,
    price_base_year: int,
    start_year: int,
    horizon_years: int = 20,
) -> tuple[BundleResult, tuple[PackageLine, ...]]:
    """A package's solutions re-sized for one city and the best set within ``budget``.

    Each solution is worth the gap it closes in that city (the sum of the city's gaps
    on the KPIs it moves); the bundle engine maximises that total within the capex.
    """
    if not budget > 0:
        raise InvalidParameterError(f"budget is {budget}; give a capex budget above zero")
    if not offers:
        raise InvalidParameterError("the package has no solutions to choose from")
    money = {"currency": currency, "price_base_year": price_base_year, "start_year": start_year}
    lines = []
    for offer in offers:
        quantity, note = size_line(offer, population)
        closes = tuple(c for c in offer.kpi_codes if (city_gaps.get(c) or 0.0) > 0)
        lines.append(
            appraise_line(
                offer, quantity, params, horizon_years=horizon_years, quantity_note=note,
                closes=closes, score=gap_closure(offer.kpi_codes, city_gaps), **money,
            )
        )  # fmt: skip
    candidates = [
        Candidate(line.offer.key, line.score, {"capex": line.capex}, sector=line.offer.sector)
        for line in lines
    ]
    result = optimise_bundle(candidates, {"capex": float(budget)})
    return result, tuple(lines)
