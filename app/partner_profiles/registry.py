"""Partners come in: they register, staff approve or refuse, they keep their profile.

A registered partner is *pending* and its account cannot sign in until staff approve
it; a refusal keeps the reason, which the partner is shown. Seeded and imported
partners are approved. Every decision and edit is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.fields import fold
from app.core.permissions import require_staff
from app.models import (
    Country,
    DeliveryModel,
    Instrument,
    Partner,
    PartnerKind,
    PartnerStatus,
    RiskAppetite,
    Role,
    Sector,
    User,
)
from app.models.base import utcnow
from app.partner_profiles.taxonomy import unknown

__all__ = [
    "PartnerInput",
    "applications",
    "edit_partner",
    "parse_countries",
    "partner_for",
    "register_partner",
    "review_partner",
]


@dataclass
class PartnerInput:
    """A partner's profile as typed (registration, edit or import)."""

    name: str
    kind: str
    sectors: list[str]  # sector slugs
    country: str | None = None  # ISO2 of the home country
    countries: list[str] = field(default_factory=list)  # ISO2
    capabilities: list[str] = field(default_factory=list)  # taxonomy slugs
    capabilities_other: str | None = None
    delivery_models: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    ticket_min: float | None = None
    ticket_max: float | None = None
    ticket_currency: str = "EUR"
    risk_appetite: str | None = None
    capacity: int = 3
    track_record_projects: int | None = None
    description: str | None = None
    website: str | None = None


def parse_countries(text: str | None) -> list[str]:
    """ISO codes from 'NO, se;TN' (upper-cased, without repeats)."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", (text or "").strip()):
        code = code.upper()
        if code and code not in seen:
            seen.append(code)
    return seen


def _checked(data: PartnerInput) -> tuple[dict, list[Sector], list[Country], Country | None]:
    """The partner's columns, sectors, countries and home country; InvalidInput says why."""
    problems = []
    try:
        kind = PartnerKind(data.kind)
    except ValueError:
        problems.append(f"'{data.kind}' is not a kind of partner: choose one from the list.")
        kind = None
    sectors = list(db.session.scalars(select(Sector).where(Sector.slug.in_(data.sectors))))
    if not sectors:
        problems.append("Choose at least one sector.")
    elif len(sectors) != len(set(data.sectors)):
        missing = sorted(set(data.sectors) - {s.slug for s in sectors})
        problems.append(f"Unknown sectors: {', '.join(missing)}.")
    codes = set(data.countries) | ({data.country} if data.country else set())
    found = {c.iso2: c for c in db.session.scalars(select(Country).where(Country.iso2.in_(codes)))}
    if codes - set(found):
        problems.append(
            f"Unknown country codes: {', '.join(sorted(codes - set(found)))}. Use ISO 3166 "
            "alpha-2 codes such as NO, SE or TN."
        )
    if unknown(data.capabilities):
        problems.append(f"Unknown capabilities: {', '.join(unknown(data.capabilities))}.")
    for value, allowed, what in (
        (data.delivery_models, {d.value for d in DeliveryModel}, "delivery models"),
        (data.instruments, {i.value for i in Instrument}, "instruments"),
    ):
        if set(value) - allowed:
            problems.append(f"Unknown {what}: {', '.join(sorted(set(value) - allowed))}.")
    currency = (data.ticket_currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        problems.append(f"'{data.ticket_currency}' is not a currency code: write one like EUR.")
    low, high = data.ticket_min, data.ticket_max
    if low is not None and high is not None and low > high:
        problems.append("The smallest ticket is larger than the largest: swap them or correct one.")
    if data.risk_appetite and data.risk_appetite not in {r.value for r in RiskAppetite}:
        problems.append("Choose the risk appetite from the list.")
    if not (data.name or "").strip():
        problems.append("Give the organisation's name.")
    if problems:
        raise InvalidInput(" ".join(problems))
    columns = {
        "name": data.name.strip(),
        "kind": kind,
        "capabilities": list(dict.fromkeys(data.capabilities)),
        "capabilities_other": data.capabilities_other or None,
        "delivery_models": list(dict.fromkeys(data.delivery_models)),
        "instruments": list(dict.fromkeys(data.instruments)),
        "ticket_min": None if low is None else Decimal(str(low)),
        "ticket_max": None if high is None else Decimal(str(high)),
        "ticket_currency": currency,
        "risk_appetite": RiskAppetite(data.risk_appetite) if data.risk_appetite else None,
        "capacity": data.capacity,
        "track_record_projects": data.track_record_projects,
        "description": data.description or None,
        "website": data.website or None,
    }
    countries = [found[c] for c in data.countries]
    return columns, sectors, countries, found.get(data.country) if data.country else None


def new_slug(name: str) -> str:
    """A free slug for a new partner named ``name``."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80] or "partner"
    slug, n = base, 1
    while db.session.scalar(select(Partner.id).where(Partner.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def apply_input(partner: Partner, data: PartnerInput) -> dict:
    """Set a checked profile on ``partner``; the changed columns for the audit."""
    columns, sectors, countries, home = _checked(data)
    for name, value in columns.items():
        setattr(partner, name, value)
    partner.sectors = sectors
    partner.countries = countries
    partner.country = home
    return {k: str(v) for k, v in columns.items() if v is not None}


def register_partner(data: PartnerInput, *, email: str, password: str, contact_name: str) -> User:
    """A new partner, pending review, with its (inactive) account; all or nothing."""
    from app.accounts.service import create_user

    partner = Partner(slug=new_slug(data.name or "partner"), status=PartnerStatus.PENDING)
    try:
        changes = apply_input(partner, data)
        db.session.add(partner)
        db.session.flush()
        user = create_user(
            email, password, Role.PARTNER.value, partner_slug=partner.slug, name=contact_name,
            active=False,
        )  # fmt: skip
    except InvalidInput:
        db.session.rollback()
        raise
    record("register", "partner", partner.id, changes, user_id=user.id)
    db.session.commit()
    return user


def _partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(f"There is no partner {partner_id}. Pick one from the list of partners.")
    return partner


def partner_for(user: User, partner_id: int, *, editing: bool = False) -> Partner:
    """The partner ``user`` may see (approved ones, or its own), or may edit (staff, own)."""
    if user.role is Role.EXPERT:
        raise PermissionDenied("Partner profiles are for staff and partners; experts see none.")
    partner = _partner(partner_id)
    own = user.role is Role.PARTNER and user.partner_id == partner_id
    if editing and not (own or user.role is Role.STAFF):
        raise PermissionDenied("Only the partner itself and staff can edit this profile.")
    if partner.status is not PartnerStatus.APPROVED and not (own or user.role is Role.STAFF):
        raise NotFound(f"There is no partner {partner_id}. Pick one from the list of partners.")
    return partner


def edit_partner(
    user: User, partner_id: int, data: PartnerInput, *, version: int | None
) -> Partner:
    partner = partner_for(user, partner_id, editing=True)
    check_version(partner, version, "partner profile")
    changes = apply_input(partner, data)
    record("update", "partner", partner.id, changes, user_id=user.id)
    commit_versioned("partner profile")
    return partner


def applications(user: User) -> list[Partner]:
    """Partners waiting for review, oldest first, then the latest decisions."""
    require_staff(user)
    return list(
        db.session.scalars(
            select(Partner)
            .where(Partner.status != PartnerStatus.APPROVED)
            .order_by(Partner.status.desc(), Partner.created_at, Partner.id)
        )
    )


def review_partner(user: User, partner_id: int, decision: str, reason: str | None) -> Partner:
    """Approve (the accounts can sign in) or refuse (with the reason) a registration."""
    require_staff(user)
    partner = _partner(partner_id)
    try:
        status = PartnerStatus(decision)
    except ValueError:
        raise InvalidInput("Choose approve or refuse.") from None
    if status is PartnerStatus.PENDING:
        raise InvalidInput("Choose approve or refuse.")
    if status is PartnerStatus.REFUSED and not (reason or "").strip():
        raise InvalidInput("Say why the registration is refused: the partner is shown the reason.")
    partner.status = status
    partner.review_reason = (reason or "").strip() or None
    partner.reviewed_by_id = user.id
    partner.reviewed_at = utcnow()
    active = status is PartnerStatus.APPROVED
    for account in db.session.scalars(select(User).where(User.partner_id == partner.id)):
        account.active = active
    record(status.value, "partner", partner.id, {"reason": partner.review_reason}, user_id=user.id)
    commit_versioned("partner profile")
    return partner
