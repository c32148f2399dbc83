"""From a KPI gap to catalogue solutions scaled to the city (the "suggested solutions").

A catalogue solution (ProjectTemplate) is suggested for a KPI when it lists that KPI
among the indicators it moves. Suggestions are ranked by the weighted gap they could
close in this city (appraisal.kpi_gaps.gap_closure over the template's KPIs, so a
solution moving several gapped KPIs ranks higher) times the confidence of the
catalogue's cost source. The quantity is a planning default derived from the city's
population, stated in words so staff can judge it and change it on the project form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.extensions import db
from app.models import ProjectTemplate
from app.projects.flows import scale_template
from appraisal.analysis.kpi_gaps import gap_closure
from appraisal.errors import AppraisalError

__all__ = [
    "CURRENCY",
    "PRICE_BASE_YEAR",
    "Suggestion",
    "default_quantity",
    "suggestions_by_kpi",
]

CURRENCY = "EUR"
PRICE_BASE_YEAR = 2024
# Used when a city has no population on record, so a suggestion still gets a size.
ASSUMED_POPULATION = 100_000
CONFIDENCE_WEIGHT = {"confirmed": 1.0, "recalled": 0.7}
OTHER_CONFIDENCE_WEIGHT = 0.5

# Units of the solution per inhabitant: rough planning ratios (assumptions, not data),
# chosen so a first project is of a plausible size for the city; staff edit the quantity.
# ``None`` means one unit for the whole city.
PER_INHABITANT: dict[str, float | None] = {
    "green-revolving-fund": None,
    "esco-public-buildings": 0.5,
    "residential-pace": 1 / 200,
    "commercial-pace": 1 / 20_000,
    "led-street-lighting": 1 / 10,
    "smart-electricity-meters": 1 / 2.3,
    "utility-battery-storage": 0.2,
    "distribution-grid-reinforcement": 0.1,
    "large-heat-pump-district-heating": 0.05,
    "brt-corridor": 1 / 20_000,
    "adaptive-traffic-signals": 1 / 2_000,
    "multi-use-path": 1 / 10_000,
    "bikeshare-bicycles": 1 / 200,
    "utility-solar-pv": 0.1,
    "residential-rooftop-pv": 0.05,
    "commercial-rooftop-pv": 0.05,
    "onshore-wind": 0.1,
    "biogas-plant": 0.005,
    "ftth-us": 1 / 2.3,
    "ftth-eu": 1 / 2.3,
    "public-wifi-hotspots": 1 / 10_000,
    "municipal-wifi-mesh": 1 / 2_000,
    "smart-parking": 1 / 100,
    "land-registration": 1 / 50,
    "street-trees": 1 / 10,
    "informal-settlement-upgrading": 1 / 10,
    "electric-city-bus": 1 / 5_000,
    "ev-charging-level2": 1 / 500,
    "ev-fast-charger-dc": 1 / 5_000,
    "electric-fleet-car": 1 / 1_000,
    "cctv-camera-sites": 1 / 1_000,
    "gunshot-detection": 1 / 20_000,
    "red-light-cameras": 1 / 10_000,
    "waste-to-energy-plant": 0.2,
    "composting-facility": 0.1,
    "sanitary-landfill": 0.2,
    "waste-collection-service": 0.45,
    "seawater-desalination": 0.05,
    "treated-water-storage": 0.1,
    "nature-based-wastewater": 1 / 20,
    "general-hospital-beds": 1 / 1_000,
    "hospital-building": 0.1,
    "electronic-health-records": 1 / 300,
    "road-ambulance": 1 / 20_000,
    "deep-energy-renovation": 1.0,
    "air-to-water-heat-pump": 0.1,
    "ground-source-heat-pump": 0.05,
    "solar-water-heating": 0.1,
    "green-roof": 0.2,
    "home-battery-storage": 0.1,
}
FALLBACK_PER_INHABITANT = 1 / 1_000


@dataclass(frozen=True)
class Suggestion:
    """A catalogue solution for a city's KPI gap, sized and costed for the city."""

    template_id: int
    name: str
    sector: str
    score: float
    confidence: str | None
    quantity: int
    unit: str
    quantity_assumption: str
    capex: float | None
    annual_opex: float | None
    lifetime_years: int | None
    currency: str
    price_base_year: int
    explanation: list[str] = field(default_factory=list)
    cost_problem: str | None = None
    source_title: str | None = None
    source_url: str | None = None
    kpi_codes: tuple[str, ...] = ()


def default_quantity(template: ProjectTemplate, population: int | None) -> tuple[int, str]:
    """A planning quantity of ``template`` for a city of ``population``, and why.

    Examples
    --------
    >>> t = ProjectTemplate(slug="led-street-lighting", unit="per streetlight",
    ...                     unit_short="streetlight")
    >>> default_quantity(t, 40_000)
    (4000, '1 streetlight per 10 inhabitants of 40,000 (assumption)')
    """
    unit = template.unit_short or template.unit
    known = template.slug in PER_INHABITANT
    rate = PER_INHABITANT.get(template.slug, FALLBACK_PER_INHABITANT)
    if rate is None:
        return 1, f"1 {unit} for the whole city (assumption)"
    people = population or ASSUMED_POPULATION
    if rate < 1:
        every = 1 / rate
        ratio = (
            f"1 {unit} per {every:,.0f} inhabitants"
            if every >= 10
            else (f"1 {unit} per {every:.3g} inhabitants")
        )
    else:
        ratio = f"{rate:g} {unit} per inhabitant"
    of = f"of {people:,}" if population else f"of an assumed {people:,}"
    note = "assumption" if known else "assumption: no sizing rule for this solution yet"
    if not population:
        note += "; no population on record"
    return max(1, round(people * rate)), f"{ratio} {of} ({note})"


def _weight(confidence: str | None) -> float:
    return CONFIDENCE_WEIGHT.get((confidence or "").lower(), OTHER_CONFIDENCE_WEIGHT)


def _suggest(template: ProjectTemplate, population: int | None, gaps: Mapping[str, float]):
    codes = tuple(k.code for k in template.kpis)
    quantity, assumption = default_quantity(template, population)
    common = {
        "template_id": template.id,
        "name": template.name,
        "sector": template.sector.name,
        "score": gap_closure(codes, gaps) * _weight(template.confidence),
        "confidence": template.confidence,
        "quantity": quantity,
        "unit": template.unit_short or template.unit,
        "quantity_assumption": assumption,
        "currency": CURRENCY,
        "price_base_year": PRICE_BASE_YEAR,
        "source_title": template.source_title,
        "source_url": template.source_url,
        "kpi_codes": codes,
    }
    try:
        scaled = scale_template(
            template, quantity, currency=CURRENCY, price_base_year=PRICE_BASE_YEAR
        )
    except (ValueError, AppraisalError) as error:  # no published cost, or no price index
        return Suggestion(
            **common,
            capex=None,
            annual_opex=None,
            lifetime_years=round(template.lifetime_years) if template.lifetime_years else None,
            cost_problem=str(error),
        )
    return Suggestion(
        **common,
        capex=scaled.capex_total,
        annual_opex=scaled.annual_opex,
        lifetime_years=scaled.lifetime_years,
        explanation=list(scaled.explanation),
    )


def suggestions_by_kpi(
    kpi_ids: Iterable[int],
    gaps: Mapping[str, float],
    population: int | None,
    *,
    per_kpi: int = 3,
) -> dict[int, list[Suggestion]]:
    """Ranked suggestions for each of ``kpi_ids`` (best first, at most ``per_kpi``).

    ``gaps`` maps KPI codes to the city's gap (0-1); each template is scaled once.
    """
    wanted = set(kpi_ids)
    if not wanted:
        return {}
    templates = db.session.scalars(
        select(ProjectTemplate)
        .options(selectinload(ProjectTemplate.kpis), selectinload(ProjectTemplate.sector))
        .order_by(ProjectTemplate.id)
    ).all()
    scaled: dict[int, Suggestion] = {}
    found: dict[int, list[Suggestion]] = {}
    for template in templates:
        for kpi in template.kpis:
            if kpi.id not in wanted:
                continue
            if template.id not in scaled:
                scaled[template.id] = _suggest(template, population, gaps)
            found.setdefault(kpi.id, []).append(scaled[template.id])
    return {
        kpi_id: sorted(items, key=lambda s: (-s.score, s.capex is None, s.capex or 0))[:per_kpi]
        for kpi_id, items in found.items()
    }
