"""Staff manage accounts: the list, deactivating and reactivating, role and binding.

A role comes with its binding, as the ``role_binding`` check of the user table wants:
a city account is bound to one city, a partner account to one partner organisation,
a staff account to neither. Staff cannot deactivate themselves nor drop their own
staff role, so at least one staff account always remains. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from app.accounts.sessions import close_sessions
from app.core.audit import record
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.pagination import Page, paginate
from app.core.permissions import require_staff
from app.models import (
    City,
    CommitteeMember,
    Expert,
    Invitation,
    Partner,
    PartnerStatus,
    Role,
    User,
)
from app.models.base import as_utc, utcnow

__all__ = [
    "FieldError",
    "Binding",
    "account_status",
    "binding_choices",
    "resolve_binding",
    "revoke_links",
    "open_link_until",
    "list_accounts",
    "get_account",
    "deactivate",
    "reactivate",
    "change_role",
]


class FieldError(InvalidInput):
    """Invalid input that belongs to one form field (``field``), so the form shows it there."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Binding:
    role: Role
    city: City | None = None
    partner: Partner | None = None
    expert: Expert | None = None
    member: CommitteeMember | None = None


def account_status(user: User) -> str:
    """'active', 'invited' (no password set yet) or 'deactivated'."""
    if not user.password_hash:
        return "invited"
    return "active" if user.active else "deactivated"


def binding_choices() -> tuple[list, list, list, list]:
    """The cities, partner organisations, committee members and experts an account may
    be bound to, by name."""
    cities = db.session.execute(
        select(City.id, City.name, City.slug).order_by(City.name, City.slug)
    ).all()
    partners = db.session.execute(select(Partner.id, Partner.name).order_by(Partner.name)).all()
    members = db.session.execute(
        select(CommitteeMember.id, CommitteeMember.name, City.name)
        .join(City, City.id == CommitteeMember.city_id)
        .where(CommitteeMember.active.is_(True))
        .order_by(City.name, CommitteeMember.name)
    ).all()
    experts = db.session.execute(select(Expert.id, Expert.name).order_by(Expert.name)).all()
    return (
        [(i, f"{name} ({slug})") for i, name, slug in cities],
        list(map(tuple, partners)),
        [(i, f"{name}, committee of {city}") for i, name, city in members],
        list(map(tuple, experts)),
    )


def resolve_binding(
    role: str,
    city_id: int | None,
    partner_id: int | None,
    expert_id: int | None = None,
    member_id: int | None = None,
    *,
    user_id: int | None = None,
) -> Binding:
    """The role with its city, partner or expert (and a city account's committee member),
    checked; FieldError names the field to fix. ``user_id``: the account being changed."""
    try:
        role_value = Role(role)
    except ValueError:
        raise FieldError(
            "role", f"Unknown role '{role}': choose staff, city, partner or expert."
        ) from None
    if role_value is Role.CITY:
        city = db.session.get(City, city_id) if city_id else None
        if city is None:
            raise FieldError("city", "A city account needs its city: choose one in the list.")
        member = _member(member_id, city, user_id)
        return Binding(role_value, city=city, member=member)
    if role_value is Role.EXPERT:
        expert = db.session.get(Expert, expert_id) if expert_id else None
        if expert is None:
            raise FieldError(
                "expert", "An expert account needs its expert of the pool: choose one."
            )
        taken = db.session.scalar(
            select(User.email).where(User.expert_id == expert.id, User.id != (user_id or 0))
        )
        if taken:
            raise FieldError("expert", f"{expert.name} has an account already ({taken}).")
        return Binding(role_value, expert=expert)
    if role_value is Role.PARTNER:
        partner = db.session.get(Partner, partner_id) if partner_id else None
        if partner is None:
            raise FieldError(
                "partner", "A partner account needs its partner organisation: choose one."
            )
        return Binding(role_value, partner=partner)
    return Binding(role_value)


def _member(member_id: int | None, city: City, user_id: int | None) -> CommitteeMember | None:
    if not member_id:
        return None
    member = db.session.get(CommitteeMember, member_id)
    if member is None or not member.active or member.city_id != city.id:
        raise FieldError(
            "member", f"Choose a member of the committee of {city.name} (or no member)."
        )
    taken = db.session.scalar(
        select(User.email).where(User.committee_member_id == member.id, User.id != (user_id or 0))
    )
    if taken:
        raise FieldError("member", f"{member.name} has an account already ({taken}).")
    return member


def revoke_links(user: User) -> int:
    """Make the account's open set-password links stop working (caller's transaction)."""
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.user_id == user.id,
            Invitation.used_at.is_(None),
            Invitation.replaced_at.is_(None),
        )
        .values(replaced_at=utcnow())
    )
    return result.rowcount or 0


def open_link_until(user: User) -> datetime | None:
    """When the account's working set-password link expires (None: it has none)."""
    now = utcnow()
    ends = [
        as_utc(expires)
        for expires in db.session.scalars(
            select(Invitation.expires_at).where(
                Invitation.user_id == user.id,
                Invitation.used_at.is_(None),
                Invitation.replaced_at.is_(None),
            )
        )
        if as_utc(expires) > now
    ]
    return max(ends, default=None)


def list_accounts(
    actor: User, *, role: str = "", q: str = "", page: int = 1, size: int = 50
) -> Page:
    """Every account (staff only), filtered by role and by text in the e-mail or name."""
    require_staff(actor)
    query = select(User).options(selectinload(User.city), selectinload(User.partner))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if q:
        needle = q.lower()
        query = query.where(
            or_(func.lower(User.email).contains(needle), func.lower(User.name).contains(needle))
        )
    return paginate(query.order_by(User.email), page, size)


def get_account(actor: User, user_id: int) -> User:
    require_staff(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no account {user_id}: see the list on /admin/users.")
    return user


def deactivate(actor: User, user_id: int) -> int:
    """Block the account's sign-in and end its open sessions; how many were ended."""
    user = get_account(actor, user_id)
    if user.id == actor.id:
        raise InvalidInput(
            "You cannot deactivate your own account: ask another staff member to do it."
        )
    links = revoke_links(user)
    ended = close_sessions(user)
    if user.active or links or ended:
        changes = {"active": {"from": user.active, "to": False}, "sessions_ended": ended}
        if links:
            changes["links_withdrawn"] = links
        user.active = False
        record("deactivate", "user", user.id, changes, user_id=actor.id)
    db.session.commit()
    return ended


def reactivate(actor: User, user_id: int) -> User:
    """Let a deactivated account sign in again with its password."""
    user = get_account(actor, user_id)
    if not user.password_hash:
        raise InvalidInput(
            f"{user.email} has not set a password yet: give it a new set-password link instead."
        )
    if user.partner is not None and user.partner.status is not PartnerStatus.APPROVED:
        raise InvalidInput(
            f"{user.partner.name} registered and is {user.partner.status.value}: its accounts "
            "sign in once the registration is approved (Partners, Registrations waiting)."
        )
    if not user.active:
        user.active = True
        record("reactivate", "user", user.id, {"active": {"from": False, "to": True}},
               user_id=actor.id)  # fmt: skip
    db.session.commit()
    return user


def _binding_of(user: User) -> dict:
    return {
        "role": user.role.value,
        "city_id": user.city_id,
        "partner_id": user.partner_id,
        "expert_id": user.expert_id,
        "committee_member_id": user.committee_member_id,
    }


def change_role(
    actor: User,
    user_id: int,
    role: str,
    *,
    city_id: int | None,
    partner_id: int | None,
    expert_id: int | None = None,
    member_id: int | None = None,
) -> User:
    """Give the account another role and its binding (city and member, partner, expert)."""
    user = get_account(actor, user_id)
    binding = resolve_binding(role, city_id, partner_id, expert_id, member_id, user_id=user.id)
    if user.id == actor.id and binding.role is not Role.STAFF:
        raise FieldError(
            "role", "You cannot remove your own staff role: ask another staff member to do it."
        )
    before = _binding_of(user)
    user.role = binding.role
    user.city_id = binding.city.id if binding.city else None
    user.partner_id = binding.partner.id if binding.partner else None
    user.expert_id = binding.expert.id if binding.expert else None
    user.committee_member_id = binding.member.id if binding.member else None
    user.city, user.partner = binding.city, binding.partner
    user.expert, user.committee_member = binding.expert, binding.member
    after = _binding_of(user)
    changes = {
        name: {"from": before[name], "to": after[name]}
        for name in before
        if before[name] != after[name]
    }
    if changes:
        record("change_role", "user", user.id, changes, user_id=actor.id)
    db.session.commit()
    return user
