"""Bundles of a city's projects: who sees them, editing, optimising, sending for review.

Visibility: staff see every bundle. A city committee sees its own city's bundles
once staff have sent them (sent, approved, rejected, changes requested); drafts,
including its own city's, are staff work in progress and stay hidden (the city's
review history stays readable on /bundles). Partners see no bundle.

Optimising lives in :mod:`app.bundles.optimisation`.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.bundles.candidates import city_candidates
from app.bundles.inputs import OBJECTIVES, build_input, with_titles
from app.bundles.reviews import latest_reviews, review_history
from app.core.audit import record
from app.core.concurrency import add_once, check_version, commit_versioned, created_before
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.pagination import Page, paginate
from app.core.permissions import require_role, require_staff
from app.models import (
    Bundle,
    BundleItem,
    BundleLimit,
    BundleStatus,
    City,
    LimitKind,
    Project,
    Role,
    User,
)
from app.models.base import utcnow
from appraisal.analysis.world_prices import available_currencies
from appraisal.bundling.inputs import build_problem
from appraisal.errors import BundleInputError

__all__ = [
    "list_bundles",
    "get_bundle",
    "latest_approved_bundle",
    "city_choices",
    "create_bundle",
    "save_bundle",
    "editable_draft",
    "send_bundle",
    "revise_bundle",
]

DECIDED = (BundleStatus.APPROVED, BundleStatus.REJECTED, BundleStatus.CHANGES_REQUESTED)


def _visible(user: User):
    require_role(user, Role.STAFF, Role.CITY)
    query = select(Bundle)
    if user.role is Role.CITY:
        query = query.where(Bundle.city_id == user.city_id, Bundle.status != BundleStatus.DRAFT)
    return query


def list_bundles(user: User, *, city_id: int | None = None, page: int = 1, size: int = 50) -> dict:
    """The bundles the user may see (staff may filter by city), their latest reviews."""
    query = _visible(user).options(selectinload(Bundle.city).selectinload(City.country))
    if city_id and user.role is Role.STAFF:
        query = query.where(Bundle.city_id == city_id)
    found: Page = paginate(query.order_by(Bundle.updated_at.desc(), Bundle.id.desc()), page, size)
    cities = []
    if user.role is Role.STAFF:
        cities = list(
            db.session.execute(
                select(City.id, City.name)
                .join(Bundle, Bundle.city_id == City.id)
                .distinct()
                .order_by(City.name)  # fmt: skip
            )
        )
    return {
        "page": found,
        "latest": latest_reviews([b.id for b in found.items]),
        "history": review_history(user, limit=20),
        "cities": cities,
        "city_id": city_id,
    }


def get_bundle(user: User, bundle_id: int) -> Bundle:
    """One bundle with its items and limits, if the user may see it."""
    require_role(user, Role.STAFF, Role.CITY)
    bundle = db.session.scalar(
        select(Bundle)
        .where(Bundle.id == bundle_id)
        .options(
            selectinload(Bundle.items)
            .selectinload(BundleItem.project)
            .selectinload(Project.sector),
            selectinload(Bundle.limits),
            selectinload(Bundle.city),
        )
    )
    if bundle is None:
        raise NotFound(f"There is no bundle {bundle_id}.")
    if user.role is Role.CITY and (
        bundle.city_id != user.city_id or bundle.status is BundleStatus.DRAFT
    ):
        raise PermissionDenied(
            "This bundle is not visible to your account: a city sees its own bundles once "
            "staff have sent them."
        )
    return bundle


def latest_approved_bundle(user: User, city_id: int) -> Bundle | None:
    """The city's most recently approved bundle if ``user`` may see it (partners: None)."""
    if user.role not in (Role.STAFF, Role.CITY):
        return None
    return db.session.scalar(
        _visible(user)
        .where(Bundle.city_id == city_id, Bundle.status == BundleStatus.APPROVED)
        .order_by(Bundle.updated_at.desc(), Bundle.id.desc())
        .limit(1)
    )


def city_choices(user: User) -> list[tuple[int, str]]:
    """Cities a staff member can build a bundle for, by name."""
    require_staff(user)
    return [
        (cid, name)
        for cid, name in db.session.execute(select(City.id, City.name).order_by(City.name))
    ]


def create_bundle(
    user: User,
    *,
    city_id: int,
    name: str,
    objective: str,
    enpv_weight_pct: float,
    currency: str,
    price_base_year: int,
    creation_key: str | None = None,
) -> Bundle:
    """A draft bundle with every project of the city that is not dropped as a candidate.

    A form submitted again with the same creation key gets the bundle it made already.
    """
    require_staff(user)
    earlier = created_before(Bundle, creation_key)
    if earlier is not None:
        return earlier
    city = db.session.get(City, city_id)
    if city is None:
        raise InvalidInput(f"There is no city {city_id}; choose one from the list.")
    _check_objective(objective, enpv_weight_pct)
    if currency not in dict(available_currencies()):
        raise InvalidInput(f"Choose a currency of the list, not '{currency}'.")
    rows = city_candidates(city_id, currency, price_base_year, with_gaps=False)
    bundle = Bundle(
        city_id=city_id,
        name=name.strip(),
        objective=objective,
        currency=currency,
        price_base_year=price_base_year,
        rules={"enpv_weight": float(enpv_weight_pct) / 100},
        created_by_id=user.id,
        items=[BundleItem(project_id=row.project.id) for row in rows],
        creation_key=creation_key,
    )
    made = add_once(bundle, Bundle)
    if made is not bundle:
        return made
    record("create", "bundle", bundle.id, {"city_id": city_id, "name": name}, user_id=user.id)
    db.session.commit()
    return bundle


def _check_objective(objective: str, enpv_weight_pct: float) -> None:
    if objective not in OBJECTIVES:
        raise InvalidInput(f"Choose an objective among: {', '.join(OBJECTIVES.values())}.")
    if not 0 <= float(enpv_weight_pct) <= 100:
        raise InvalidInput("The weight of ENPV is a percentage between 0 and 100.")


def editable_draft(user: User, bundle_id: int, version: int | None) -> Bundle:
    require_staff(user)
    bundle = get_bundle(user, bundle_id)
    check_version(bundle, version, "bundle")
    if bundle.status is not BundleStatus.DRAFT:
        raise InvalidInput(
            f"This bundle is {bundle.status.value.replace('_', ' ')}, not a draft: revise it "
            "first (decided bundles) or wait for the city's decision (sent bundles)."
        )
    return bundle


def save_bundle(user: User, bundle_id: int, version: int | None, spec: dict) -> Bundle:
    """Replace a draft's candidates, limits and rules; the old result is cleared.

    ``spec`` (from app.bundles.forms.BundleEditForm.to_spec): name, objective,
    enpv_weight_pct, opex_budget, candidates [{project_id, must_include,
    must_exclude, group}], budgets {year: amount or None}, sector_rules [{sector_id,
    bound, amount, unit}], pairs [{first, relation, second}]. Money in the bundle's
    currency at its price base.
    """
    bundle = editable_draft(user, bundle_id, version)
    _check_objective(spec["objective"], spec["enpv_weight_pct"])
    rows = city_candidates(bundle.city_id, bundle.currency, bundle.price_base_year or 2024)
    titles = {row.project.id: row.project.title for row in rows}
    chosen = {c["project_id"]: c for c in spec["candidates"]}
    unknown = set(chosen) - set(titles)
    if unknown:
        raise InvalidInput(f"Projects {sorted(unknown)} are not candidates of this city.")
    both = [titles[p] for p, c in chosen.items() if c["must_include"] and c["must_exclude"]]
    if both:
        raise InvalidInput(f"{', '.join(both)}: forced both in and out; untick one of the two.")
    requires, excludes = [], []
    for pair in spec["pairs"]:
        for pid in (pair["first"], pair["second"]):
            if pid not in chosen:
                raise InvalidInput(
                    f"“{titles.get(pid, pid)}” is in a pair but is not a candidate: tick it as "
                    "a candidate or remove the pair."
                )
        if pair["first"] == pair["second"]:
            raise InvalidInput(f"A pair names “{titles[pair['first']]}” twice; pick two projects.")
        target = requires if pair["relation"] == "needs" else excludes
        target.append([pair["first"], pair["second"]])
    amounts = [a for a in spec["budgets"].values() if a is not None]
    if spec.get("opex_budget") is not None:
        amounts.append(spec["opex_budget"])
    if any(a < 0 for a in amounts) or any(r["amount"] < 0 for r in spec["sector_rules"]):
        raise InvalidInput("Budgets and sector rules cannot be negative; give 0 or more.")

    bundle.name = spec["name"].strip()
    bundle.objective = spec["objective"]
    groups = {
        str(p): c["group"].strip() for p, c in chosen.items() if (c.get("group") or "").strip()
    }
    bundle.rules = {
        "enpv_weight": float(spec["enpv_weight_pct"]) / 100,
        "requires": requires,
        "excludes": excludes,
        "groups": groups,
    }
    _replace_items(bundle, chosen)
    bundle.limits = _limits(bundle, spec)
    bundle.result = None
    bundle.updated_at = utcnow()  # a change of items alone still bumps the version
    try:
        inp = build_input(bundle, rows)
        if inp.candidates:
            build_problem(inp.candidates, inp.limits, objective=inp.scores, **inp.options())
    except BundleInputError as error:
        db.session.rollback()
        raise InvalidInput(
            f"These settings cannot be optimised: {with_titles(str(error), titles)}."
        ) from None
    record(
        "update",
        "bundle",
        bundle.id,
        {"candidates": len(chosen), "limits": len(bundle.limits), "pairs": len(spec["pairs"])},
        user_id=user.id,
    )
    commit_versioned("bundle")
    return bundle


def _replace_items(bundle: Bundle, chosen: dict) -> None:
    """Update items in place (a delete and insert of one project would break uniqueness)."""
    existing = {item.project_id: item for item in bundle.items}
    for pid, item in existing.items():
        if pid not in chosen:
            bundle.items.remove(item)
    for pid, choice in chosen.items():
        item = existing.get(pid) or BundleItem(project_id=pid)
        if pid not in existing:
            bundle.items.append(item)
        item.must_include, item.must_exclude = (
            bool(choice["must_include"]),
            bool(choice["must_exclude"]),
        )
        item.selected = None


def _limits(bundle: Bundle, spec: dict) -> list[BundleLimit]:
    unit = bundle.currency
    limits = [
        BundleLimit(
            kind=LimitKind.BUDGET, name=f"capex {year}", year=year, amount=amount, unit=unit
        )
        for year, amount in sorted(spec["budgets"].items())
        if amount is not None
    ]
    if spec.get("opex_budget") is not None:
        limits.append(
            BundleLimit(
                kind=LimitKind.BUDGET, name="opex per year", amount=spec["opex_budget"], unit=unit
            )  # fmt: skip
        )
    for rule in spec["sector_rules"]:
        kind = LimitKind.SECTOR_MIN if rule["bound"] == "min" else LimitKind.SECTOR_MAX
        limits.append(
            BundleLimit(
                kind=kind,
                name=f"sector {rule['bound']}",
                sector_id=rule["sector_id"],
                amount=Decimal(rule["amount"]),
                unit="projects" if rule["unit"] == "projects" else unit,
            )
        )
    return limits


def send_bundle(user: User, bundle_id: int, version: int | None) -> Bundle:
    """Send an optimised draft to its city for review."""
    bundle = editable_draft(user, bundle_id, version)
    result = bundle.result or {}
    if not result or result.get("status") == "infeasible" or not result.get("selected"):
        raise InvalidInput(
            "Optimise the bundle first: only a bundle with a feasible, non-empty selection "
            "can be sent to the city."
        )
    bundle.status = BundleStatus.SENT
    record("send", "bundle", bundle.id, {"to_city": bundle.city_id}, user_id=user.id)
    commit_versioned("bundle")
    return bundle


def revise_bundle(user: User, bundle_id: int, version: int | None) -> Bundle:
    """Take a decided bundle back to draft so staff can change it and send it again."""
    require_staff(user)
    bundle = get_bundle(user, bundle_id)
    check_version(bundle, version, "bundle")
    if bundle.status not in DECIDED:
        raise InvalidInput(
            "Only a bundle the city has decided on can be revised; this one is "
            f"{bundle.status.value.replace('_', ' ')}."
        )
    record("revise", "bundle", bundle.id, {"from": bundle.status.value}, user_id=user.id)
    bundle.status = BundleStatus.DRAFT
    commit_versioned("bundle")
    return bundle
