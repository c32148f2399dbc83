"""Inviting people: an account with its role, and a one-time link to set its password.

There is no mail server: the link is shown once to the staff member who invites, who
sends it on. Only the SHA-256 of the link's token is stored, so a copy of the database
opens no account. The account stays inactive (and has no password) until the link is
used; a link works once, until it expires (``INVITATION_HOURS``, 72 by default), and
giving the account a new link makes the old one stop working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from app.accounts.admin import (
    FieldError,
    account_status,
    get_account,
    resolve_binding,
    revoke_links,
)
from app.accounts.service import MIN_PASSWORD_LENGTH, PASSWORD_METHOD, normalise_email
from app.core.audit import record
from app.core.errors import Conflict, InvalidInput, NotFound, ServiceError
from app.core.extensions import db
from app.core.permissions import require_staff
from app.core.security import digest, new_secret
from app.models import Invitation, User
from app.models.base import as_utc, utcnow

__all__ = ["Invited", "LinkGone", "invite", "new_link", "open_link", "accept"]

DEFAULT_HOURS = 72
ASK_AGAIN = "Ask the programme staff for a new link."


class LinkGone(ServiceError):
    """A link that existed but no longer works (used, replaced or expired)."""

    status = 410


@dataclass(frozen=True)
class Invited:
    """The account and its link's token: the only time the token is known in clear."""

    user: User
    token: str
    expires_at: datetime


def _new_link(user: User, actor: User, hours: int) -> Invited:
    token = new_secret()
    expires_at = utcnow() + timedelta(hours=hours)
    db.session.add(
        Invitation(
            user_id=user.id, token_hash=digest(token), created_by_id=actor.id, expires_at=expires_at
        )
    )
    return Invited(user, token, expires_at)


def _checked_email(email: str) -> str:
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise FieldError(
            "email", f"'{email}' is not an e-mail address: give one like name@example.org."
        )
    return email


def invite(
    actor: User,
    email: str,
    role: str,
    *,
    name: str = "",
    city_id: int | None = None,
    partner_id: int | None = None,
    expert_id: int | None = None,
    member_id: int | None = None,
    hours: int = DEFAULT_HOURS,
) -> Invited:
    """A new inactive account bound as its role requires, and its set-password link."""
    require_staff(actor)
    email = _checked_email(email)
    binding = resolve_binding(role, city_id, partner_id, expert_id, member_id)
    existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if existing is not None:
        advice = (
            "it has not set its password yet: give it a new link from its page"
            if account_status(existing) == "invited"
            else "open its page to change its role or to reactivate it"
        )
        raise Conflict(f"An account for {email} exists already ({existing.role.value}); {advice}.")
    user = User(email=email, name=name, role=binding.role, password_hash="", active=False)
    user.city, user.partner = binding.city, binding.partner
    user.expert, user.committee_member = binding.expert, binding.member
    db.session.add(user)
    db.session.flush()
    invited = _new_link(user, actor, hours)
    changes = {"email": email, "role": binding.role.value,
               "city_id": user.city_id, "partner_id": user.partner_id,
               "expert_id": user.expert_id, "committee_member_id": user.committee_member_id,
               "link_expires_at": invited.expires_at.isoformat()}  # fmt: skip
    record("invite", "user", user.id, changes, user_id=actor.id)
    db.session.commit()
    return invited


def new_link(actor: User, user_id: int, *, hours: int = DEFAULT_HOURS) -> Invited:
    """A new set-password link for an account that has not set its password; the old
    link stops working."""
    user = get_account(actor, user_id)
    if account_status(user) != "invited":
        raise InvalidInput(
            f"{user.email} has set its password already and signs in with it; "
            "a set-password link is only for accounts that have not set one yet."
        )
    replaced = revoke_links(user)
    invited = _new_link(user, actor, hours)
    changes = {"links_replaced": replaced, "link_expires_at": invited.expires_at.isoformat()}
    record("new_link", "user", user.id, changes, user_id=actor.id)
    db.session.commit()
    return invited


def open_link(token: str) -> Invitation:
    """The link's invitation while it works; NotFound or LinkGone saying what happened."""
    invitation = (
        db.session.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))
        if token and len(token) <= 200
        else None
    )
    if invitation is None:
        raise NotFound(
            "This set-password link is not known: check that it was copied whole. " + ASK_AGAIN
        )
    if invitation.used_at is not None:
        raise LinkGone(
            "This set-password link was used already: a link works once. If that was you, "
            "sign in with your password; otherwise " + ASK_AGAIN[0].lower() + ASK_AGAIN[1:]
        )
    if invitation.replaced_at is not None:
        raise LinkGone(
            "This set-password link was withdrawn or replaced by a newer one. " + ASK_AGAIN
        )
    if as_utc(invitation.expires_at) <= utcnow():
        expired = as_utc(invitation.expires_at)
        raise LinkGone(
            f"This set-password link expired on {expired:%Y-%m-%d %H:%M} UTC. " + ASK_AGAIN
        )
    return invitation


def accept(token: str, password: str, repeat: str | None = None) -> User:
    """Set the account's password through the link; the account becomes active."""
    invitation = open_link(token)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise FieldError(
            "new", f"The new password needs at least {MIN_PASSWORD_LENGTH} characters."
        )
    if repeat is not None and repeat != password:
        raise FieldError("repeat", "The two new passwords differ: type the same one twice.")
    now = utcnow()
    taken = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.replaced_at.is_(None),
        )
        .values(used_at=now)
    ).rowcount
    if taken != 1:  # another request used it a moment ago
        db.session.rollback()
        raise LinkGone("This set-password link was used already: a link works once. " + ASK_AGAIN)
    user = invitation.user
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    user.active = True
    user.last_login_at = now
    record("accept_invitation", "user", user.id, {"active": {"from": False, "to": True}},
           user_id=user.id)  # fmt: skip
    db.session.commit()
    return user
