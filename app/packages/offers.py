"""Published packages for partners (fit, interest) and for cities (their level's package).

A partner's fit to a package is the platform's explained partner score
(:func:`app.partners.matchmaking.explain`) against the package as one opportunity: its
main sector (the one with the most capex), its total capex in EUR and the member
cities' countries; the reasons and concerns are the score's own. A partner may propose
a consortium for the package and express interest as it (:mod:`app.packages.consortia`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from app.cities.gaps import city_gaps
from app.core.audit import record
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_role
from app.models import City, PackageInterest, Partner, ProductPackage, Role, User
from app.packages import consortia
from app.packages.groups import city_levels
from app.packages.service import offer_of
from app.partners import matchmaking as mm
from app.partners.opportunities import DuplicateInterest, checked_message, keep_once
from appraisal.analysis.parameters import get_parameter_set
from appraisal.bundling.packages import best_for_city, package_totals
from matching.components import ExplainedScore
from matching.consortia import ROLES, form_consortia
from matching.profiles import ProjectProfile

__all__ = [
    "PackageFit",
    "city_package",
    "express_interest",
    "package_fit",
    "package_page",
    "package_profile",
    "published_packages",
]

CAPABLE_PARTNERS_SHOWN = 5
MENTORS_SHOWN = 8


@dataclass(frozen=True)
class PackageFit:
    """A partner's explained fit to a whole package."""

    partner_id: int
    name: str
    fit: ExplainedScore
    reasons: list[str]
    concerns: list[str]
    cities: int | None = None  # member cities where it works (staff's list)


def _main_sector(package: ProductPackage) -> str | None:
    capex: Counter[str] = Counter()
    for line in package.lines:
        capex[line.template.sector.name] += line.capex
    return capex.most_common(1)[0][0] if capex else None


def package_profile(package: ProductPackage) -> ProjectProfile:
    countries = db.session.scalars(
        sa.select(City).where(City.id.in_(package.member_city_ids or [0]))
    ).all()
    isos = Counter(c.country.iso2 for c in countries if c.country and c.country.iso2)
    regions = Counter(c.country.wb_region for c in countries if c.country and c.country.wb_region)
    return ProjectProfile(
        f"package-{package.id}",
        sector=_main_sector(package),
        country=isos.most_common(1)[0][0] if isos else None,
        region=regions.most_common(1)[0][0] if regions else None,
        capex=sum(line.capex for line in package.lines) or None,
        currency=package.currency,
    )


def package_fit(
    package: ProductPackage, partner_ids: list[int] | None = None, members: list[City] = ()
) -> list[PackageFit]:
    """Approved partners' fit to the package, best first; with ``members``, how many of
    the member cities each works in."""
    profiles = mm.partner_profiles(partner_ids)
    project = package_profile(package)
    fits = []
    for profile in profiles.profiles:
        fit = mm.explain(project, profile)
        pid = int(profile.id)
        served = consortia.cities_served(profile, list(members)) if members else None
        fits.append(
            PackageFit(pid, profiles.names[pid], fit, mm.top_reasons(fit), mm.concerns(fit), served)
        )
    return sorted(fits, key=lambda f: (-f.fit.score, f.name))


def published_packages(user: User) -> list[tuple[ProductPackage, PackageFit | None]]:
    """Published packages, with the partner's own fit for a partner account."""
    require_role(user, Role.PARTNER, Role.STAFF, Role.CITY)
    packages = db.session.scalars(
        sa.select(ProductPackage)
        .where(ProductPackage.published.is_(True))
        .order_by(ProductPackage.level, ProductPackage.id)
    ).all()
    if user.role is not Role.PARTNER:
        return [(p, None) for p in packages]
    found = []
    for package in packages:
        fits = package_fit(package, [user.partner_id])
        found.append((package, fits[0] if fits else None))
    return found


def _visible(user: User, package_id: int) -> ProductPackage:
    package = db.session.get(ProductPackage, package_id)
    if package is None or not (package.published or user.role is Role.STAFF):
        raise NotFound(f"There is no published package {package_id}.")
    return package


def _cities(ids: list[int]) -> list[City]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(City).where(City.id.in_(ids)).order_by(City.name)))


def package_page(user: User, package_id: int, member_ids: list[int] | None = None) -> dict:
    """What the package page shows this user: staff everything, a partner its fit and,
    given ``member_ids``, the consortium it proposes with them."""
    require_role(user, Role.PARTNER, Role.STAFF, Role.CITY)
    package = _visible(user, package_id)
    members = _cities(package.member_city_ids)
    context = {
        "package": package,
        "members": members,
        "totals": package_totals(package.lines),
        "parameters": get_parameter_set(package.parameter_set),
        "fit": None,
        "components": [],
        "interest": None,
        "candidates": [],
        "proposal": None,
        "proposal_problem": None,
        "capable": [],
        "consortium": None,
        "consortium_missing": {},
        "interests": [],
        "fx_note": mm.fx_note(),
    }
    if user.role is Role.PARTNER:
        fits = package_fit(package, [user.partner_id])
        context["fit"] = fits[0] if fits else None
        if fits:
            context["components"] = mm.components_table(fits[0].fit)
            context["candidates"] = consortia.candidates(user, package_profile(package))
        if fits and member_ids:
            try:
                context["proposal"] = consortia.propose(user, package_profile(package), member_ids)
            except InvalidInput as error:  # said beside the picker
                context["proposal_problem"] = error.message
        context["interest"] = db.session.scalar(
            sa.select(PackageInterest).where(
                PackageInterest.package_id == package.id,
                PackageInterest.partner_id == user.partner_id,
            )
        )
    if user.role is Role.STAFF:
        several = min(2, len(members))
        fits = package_fit(package, members=members)
        context["capable"] = [f for f in fits if f.cities >= several][:CAPABLE_PARTNERS_SHOWN]
        context |= _consortium(package)
        context["interests"] = _interests(package)
    return context


def _interests(package: ProductPackage) -> list[tuple[PackageInterest, list[str]]]:
    """The package's expressions of interest, each with its consortium's other members."""
    rows = db.session.scalars(
        sa.select(PackageInterest)
        .where(PackageInterest.package_id == package.id)
        .order_by(PackageInterest.created_at)
    ).all()
    ids = {pid for row in rows for pid in row.consortium_partner_ids or []}
    names = (
        dict(
            db.session.execute(sa.select(Partner.id, Partner.name).where(Partner.id.in_(ids))).all()
        )
        if ids
        else {}
    )
    return [
        (row, [names.get(pid, f"partner {pid}") for pid in row.consortium_partner_ids or []])
        for row in rows
    ]


def _consortium(package: ProductPackage) -> dict:
    """A proposed consortium (local company, investor, technology partner) for the whole
    package, by the platform's consortium engine, with the partners' names."""
    partners = mm.partner_profiles()
    cities = _cities(package.member_city_ids)
    countries = {c.country.iso2 for c in cities if c.country and c.country.iso2}
    # a local company must work in one of the member cities' countries
    eligible = [
        p for p in partners.profiles if p.kind not in ROLES["local"] or p.countries & countries
    ]
    if not eligible:
        return {}
    plan = form_consortia(
        [package_profile(package)], eligible, complete_only=False, fx=mm.fx_rates()
    )
    consortium = plan.consortia[0] if plan.consortia else None
    profile = {p.id: p for p in eligible}
    members = [
        (partners.names[int(m.partner)], m, consortia.cities_served(profile[m.partner], cities))
        for m in (consortium.members if consortium else ())
    ]
    return {"consortium": members, "consortium_missing": plan.missing}


def express_interest(
    user: User, package_id: int, message: str, member_ids: list[int] = ()
) -> PackageInterest:
    """Record the partner's interest in a published package, once per package: alone,
    or as a consortium with ``member_ids`` (other approved partners)."""
    require_role(user, Role.PARTNER)
    package = _visible(user, package_id)
    message = checked_message(message)
    members = consortia.checked_members(user, list(member_ids))
    duplicate = DuplicateInterest(
        "You have already expressed interest in this package; one expression per package."
    )
    earlier = sa.select(PackageInterest.id).where(
        PackageInterest.partner_id == user.partner_id,
        PackageInterest.package_id == package.id,
    )
    row = PackageInterest(
        package_id=package.id,
        partner_id=user.partner_id,
        message=message,
        consortium_partner_ids=members,
        created_by_id=user.id,
    )
    kept = keep_once(row, earlier, duplicate)
    changes = {"package_id": package.id, "consortium_partner_ids": members}
    record("express_interest", "package_interest", kept.id, changes, user_id=user.id)
    db.session.commit()
    return kept


def city_package(user: User, budget: float | None = None) -> dict:
    """The city's published package (the latest one listing it), how it moves its KPIs,
    mentor cities from the levels above and, given a capex ``budget``, the best part
    of the package for the city (the bundle engine, solutions re-sized for the city and
    valued by the gaps they close there)."""
    require_role(user, Role.CITY)
    city = db.session.get(City, user.city_id)
    if city is None:
        raise NotFound("Your account is not linked to a city; ask staff to link it.")
    packages = db.session.scalars(
        sa.select(ProductPackage)
        .where(ProductPackage.published.is_(True))
        .order_by(ProductPackage.published_at.desc(), ProductPackage.id.desc())
    ).all()
    package = next((p for p in packages if city.id in (p.member_city_ids or [])), None)
    context = {"city": city, "package": package, "moves": []}
    if package is None:
        return context | _level_of(city)
    gaps = city_gaps(city.id)
    assessed = gaps.kpis.set_index("code")
    for line in package.lines:
        for kpi in line.template.kpis:
            row = assessed.loc[kpi.code] if kpi.code in assessed.index else None
            gap = None if row is None or row["gap"] != row["gap"] else float(row["gap"])
            context["moves"].append(
                {"solution": line.template.name, "kpi": kpi, "gap": gap,
                 "shared": kpi.code in (package.gap_codes or [])}
            )  # fmt: skip
    if budget:
        context["best"] = _best(package, city, gaps.gap_by_code(), budget)
    return context | _level_of(city)


def _best(package: ProductPackage, city: City, gaps: dict[str, float], budget: float) -> dict:
    people = city.population or package.population
    result, lines = best_for_city(
        [offer_of(line) for line in package.lines],
        gaps,
        people,
        budget,
        get_parameter_set(package.parameter_set),
        currency=package.currency,
        price_base_year=package.price_base_year,
        start_year=package.start_year,
        horizon_years=package.horizon_years,
    )
    chosen = [line for line in lines if line.offer.key in result.selected]
    return {
        "budget": budget,
        "population": people,
        "result": result,
        "chosen": chosen,
        "left_out": [line for line in lines if line.offer.key not in result.selected],
        "capex": sum(line.capex for line in chosen),
    }


def _level_of(city: City) -> dict:
    """The city's level now, its explanation, and mentors from the levels above."""
    try:
        levels = city_levels()
    except InvalidInput:
        return {"level": None}
    key = str(city.id)
    level = levels.grouping.level_of.get(key)
    if level is None:
        return {"level": None}
    count = len(levels.grouping.groups)
    mentors = [
        (int(cid), name) for above in range(count, level, -1) for cid, name in levels.members(above)
    ]
    return {
        "level": level,
        "levels": count,
        "summary": levels.grouping.group(level).summary(count),
        "nearest": levels.grouping.nearest_other.get(key),
        "mentors": mentors[:MENTORS_SHOWN],
        "grouped_at": levels.made_at,
        "grouping_data": levels.data_note,
    }
