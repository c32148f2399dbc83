"""Staff compose, edit and publish product packages (one per development level).

Composition is :func:`appraisal.bundling.packages.compose_package` over the level's
members: their KPI gaps, their populations, and every catalogue solution with a
published central unit cost, brought to EUR at 2024 prices (the price base of the
suggested solutions, :mod:`app.cities.suggestions`) by
:func:`app.projects.flows.scale_template`. The indicative appraisal is the engine's:
the funding gap (no revenue assumed: the whole cost needs funding) and, where the
projects formulated from a solution give a benefit basis (:mod:`app.packages.benefits`,
labelled illustrative), ENPV and B/C under the package's parameter set.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.appraisals.service import DEFAULT_PARAMETER_SET
from app.cities.suggestions import (
    CURRENCY,
    FALLBACK_PER_INHABITANT,
    PER_INHABITANT,
    PRICE_BASE_YEAR,
)
from app.core.audit import record
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.models import ProductPackage, ProductPackageLine, ProjectTemplate, User
from app.models.base import utcnow
from app.packages.benefits import benefit_bases
from app.packages.groups import CityLevels, city_levels, running_grouping
from app.projects.flows import scale_template
from appraisal.analysis.parameters import get_parameter_set
from appraisal.bundling.packages import (
    Offer,
    Package,
    PackageLine,
    appraise_line,
    compose_package,
)
from appraisal.errors import AppraisalError

__all__ = [
    "HORIZON_YEARS",
    "catalogue_offers",
    "compose_for_level",
    "compose_level",
    "get_package",
    "groups_page",
    "list_packages",
    "offer_of",
    "publish",
    "remove_line",
    "set_quantity",
    "update_text",
]

HORIZON_YEARS = 20


def groups_page(user: User) -> dict:
    """The kept development levels with their explanations, a grouping job running now
    (if any) and the packages composed so far. ``problem`` says why there are no levels."""
    require_staff(user)
    page = {"levels": None, "problem": None, "running": running_grouping()}
    try:
        page["levels"] = city_levels()
    except InvalidInput as error:  # not grouped yet: say what to do, on the page
        page["problem"] = error.message
    return page | {"packages": list_packages(user)}


def list_packages(user: User) -> list[ProductPackage]:
    require_staff(user)
    query = sa.select(ProductPackage).order_by(ProductPackage.level, ProductPackage.id)
    return list(db.session.scalars(query))


def catalogue_offers() -> tuple[list[Offer], dict[str, int]]:
    """Every costed catalogue solution on the one price base, and slug -> template id."""
    templates = db.session.scalars(
        sa.select(ProjectTemplate)
        .options(selectinload(ProjectTemplate.kpis), selectinload(ProjectTemplate.sector))
        .order_by(ProjectTemplate.id)
    ).all()
    offers, ids = [], {}
    bases = benefit_bases(CURRENCY, PRICE_BASE_YEAR)
    for template in templates:
        codes = tuple(k.code for k in template.kpis)
        if not codes:
            continue
        try:
            unit = scale_template(template, 1, currency=CURRENCY, price_base_year=PRICE_BASE_YEAR)
        except (ValueError, AppraisalError):  # no published cost or no price index
            continue
        if not unit.capex_total > 0:  # nothing to cost or appraise
            continue
        rate = PER_INHABITANT.get(template.slug, FALLBACK_PER_INHABITANT)
        basis = bases.get(template.slug)
        offers.append(
            Offer(
                key=template.slug,
                name=template.name,
                sector=template.sector.name,
                unit=template.unit_short or template.unit,
                kpi_codes=codes,
                unit_capex=unit.capex_total,
                unit_opex=unit.annual_opex,
                lifetime_years=unit.lifetime_years,
                per_inhabitant=rate,
                annual_benefit_per_unit=basis.benefit_per_unit if basis else None,
                benefit_source=basis.basis if basis else "no basis",
                co2_tonnes_per_unit=(basis.co2_tonnes_per_unit or 0.0) if basis else 0.0,
            )
        )
        ids[template.slug] = template.id
    return offers, ids


def compose_level(levels: CityLevels, level: int, offers: list[Offer] | None = None) -> Package:
    """The pure package of ``level`` (nothing saved): members' gaps, costed catalogue
    (``offers``, read from the catalogue when not given)."""
    group = levels.grouping.group(level)
    if offers is None:
        offers, _ = catalogue_offers()
    return compose_package(
        {m: levels.gaps[m] for m in group.members},
        [levels.populations[m] for m in group.members],
        offers,
        get_parameter_set(DEFAULT_PARAMETER_SET),
        currency=CURRENCY,
        price_base_year=PRICE_BASE_YEAR,
        start_year=date.today().year + 1,
        horizon_years=HORIZON_YEARS,
    )


def compose_for_level(user: User, level: int) -> ProductPackage:
    """Compose and keep a draft package for ``level`` of the current grouping."""
    require_staff(user)
    levels = city_levels()
    count = len(levels.grouping.groups)
    if not 1 <= level <= count:
        raise InvalidInput(f"There is no level {level}; choose a level from 1 to {count}.")
    offers, ids = catalogue_offers()
    package = compose_level(levels, level, offers)
    group = levels.grouping.group(level)
    row = ProductPackage(
        title=f"Level {level} package",
        description="",
        level=level,
        levels=count,
        group_summary=group.summary(count),
        member_city_ids=sorted(int(m) for m in group.members),
        shared_gaps=[g.sentence() for g in package.gaps],
        gap_codes=[g.code for g in package.gaps],
        population=package.population,
        population_note=package.population_note,
        currency=package.currency,
        price_base_year=package.price_base_year,
        parameter_set=DEFAULT_PARAMETER_SET,
        start_year=date.today().year + 1,
        horizon_years=HORIZON_YEARS,
        notes=list(package.notes),
    )
    for line in package.lines:
        offer = line.offer
        kept = ProductPackageLine(
            template_id=ids[offer.key],
            quantity=line.quantity,
            quantity_note=line.quantity_note + " (assumption)",
            unit_capex=_decimal(offer.unit_capex, 6),
            unit_opex=_decimal(offer.unit_opex, 6),
            lifetime_years=offer.lifetime_years,
            closes=list(line.closes),
            benefit_per_unit=_decimal(offer.annual_benefit_per_unit, 6),
            co2_tonnes_per_unit=offer.co2_tonnes_per_unit or None,
            benefit_basis=None if offer.benefit_source == "no basis" else offer.benefit_source,
        )
        _keep_appraisal(kept, line)
        row.lines.append(kept)
    db.session.add(row)
    db.session.flush()
    record(
        "compose", "product_package", row.id,
        {"level": level, "lines": len(row.lines), "grouping_made": str(levels.made_at)},
        user_id=user.id,
    )  # fmt: skip
    db.session.commit()
    return row


def _decimal(value: float | None, places: int) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, places)))


def _keep_appraisal(row: ProductPackageLine, line: PackageLine) -> None:
    """The pure line's indicative appraisal onto the kept line."""
    row.funding_gap_rate = line.funding_gap_rate
    row.dic, row.dnr = _decimal(line.dic, 2), _decimal(line.dnr, 2)
    row.enpv, row.bc_ratio = _decimal(line.enpv, 2), line.bc_ratio
    row.pv_benefits, row.pv_costs = _decimal(line.pv_benefits, 2), _decimal(line.pv_costs, 2)
    row.appraisal_note = line.appraisal_note


def get_package(package_id: int) -> ProductPackage:
    package = db.session.get(ProductPackage, package_id)
    if package is None:
        raise NotFound(f"There is no package {package_id}.")
    return package


def update_text(user: User, package_id: int, title: str, description: str) -> ProductPackage:
    require_staff(user)
    package = get_package(package_id)
    package.title, package.description = title.strip(), description.strip()
    record("edit", "product_package", package.id, {"title": package.title}, user_id=user.id)
    db.session.commit()
    return package


def _line(package: ProductPackage, line_id: int) -> ProductPackageLine:
    line = next((line for line in package.lines if line.id == line_id), None)
    if line is None:
        raise NotFound(f"Package {package.id} has no line {line_id}.")
    return line


def set_quantity(user: User, package_id: int, line_id: int, quantity: int) -> ProductPackageLine:
    """Change a line's quantity: its capex and opex follow (unit cost x quantity)."""
    require_staff(user)
    if quantity < 1:
        raise InvalidInput("Give a quantity of 1 or more; remove the line to leave it out.")
    package = get_package(package_id)
    line = _line(package, line_id)
    appraised = appraise_line(
        offer_of(line),
        quantity,
        get_parameter_set(package.parameter_set),
        currency=package.currency,
        price_base_year=package.price_base_year,
        start_year=package.start_year,
        horizon_years=package.horizon_years,
    )
    before = line.quantity
    line.quantity = quantity
    line.quantity_note = f"{quantity:,} set by staff"
    _keep_appraisal(line, appraised)
    record(
        "edit", "product_package_line", line.id, {"quantity": [before, quantity]}, user_id=user.id
    )
    db.session.commit()
    return line


def offer_of(line: ProductPackageLine) -> Offer:
    """A kept line as the pure module's Offer, with the unit costs it was composed with."""
    template = line.template
    return Offer(
        key=template.slug,
        name=template.name,
        sector=template.sector.name,
        unit=template.unit_short or template.unit,
        kpi_codes=tuple(k.code for k in template.kpis),
        unit_capex=float(line.unit_capex),
        unit_opex=float(line.unit_opex),
        lifetime_years=line.lifetime_years,
        per_inhabitant=PER_INHABITANT.get(template.slug, FALLBACK_PER_INHABITANT),
        annual_benefit_per_unit=(
            None if line.benefit_per_unit is None else float(line.benefit_per_unit)
        ),
        benefit_source=line.benefit_basis or "no basis",
        co2_tonnes_per_unit=line.co2_tonnes_per_unit or 0.0,
    )


def remove_line(user: User, package_id: int, line_id: int) -> None:
    require_staff(user)
    package = get_package(package_id)
    if package.published:
        raise InvalidInput("Unpublish the package before removing a solution from it.")
    line = _line(package, line_id)
    package.lines.remove(line)
    record("remove_line", "product_package", package.id, {"line": line_id}, user_id=user.id)
    db.session.commit()


def publish(user: User, package_id: int, published: bool) -> ProductPackage:
    require_staff(user)
    package = get_package(package_id)
    if published and not package.lines:
        raise InvalidInput("This package has no solutions; compose it again before publishing.")
    package.published = published
    package.published_at = utcnow() if published else None
    action = "publish" if published else "withdraw"
    record(action, "product_package", package.id, {"published": published}, user_id=user.id)
    db.session.commit()
    return package
