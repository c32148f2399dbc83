"""Accounts: password hashing, sign-in, account creation."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.audit import record
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.models import City, Expert, Partner, Role, User
from app.models.base import utcnow

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
# Compared against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_METHOD)


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (never says which was wrong)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.active or not check_password_hash(user.password_hash, password or ""):
        return None
    user.last_login_at = utcnow()
    record("login", "user", user.id, {}, user_id=user.id)
    db.session.commit()
    return user


def registration_state(email: str, password: str) -> str | None:
    """Why a partner account with this (right) password cannot sign in yet, or None.

    Said only to whoever knows the password, so it tells nobody else that the account
    exists."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None or user.active or user.partner is None or not user.password_hash:
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    status = user.partner.status.value
    if status == "pending":
        return (
            f"The registration of {user.partner.name} waits for review by the programme's "
            "staff; you can sign in once it is approved."
        )
    if status == "refused":
        reason = user.partner.review_reason or "no reason given"
        return f"The registration of {user.partner.name} was refused: {reason}."
    return None


def create_user(
    email: str,
    password: str,
    role: str,
    *,
    city_slug: str | None = None,
    partner_slug: str | None = None,
    expert_slug: str | None = None,
    name: str = "",
    actor_id: int | None = None,
    active: bool = True,
) -> User:
    """Create an account bound as its role requires; raises InvalidInput saying what to fix.

    ``active=False`` makes an account that cannot sign in yet (a partner waiting for
    review)."""
    email = normalise_email(email)
    if "@" not in email or "." not in email.split("@")[-1]:
        raise InvalidInput(f"'{email}' is not an e-mail address: give one like name@example.org.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(f"Unknown role '{role}': use staff, city, partner or expert.") from None
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise InvalidInput(f"An account for {email} exists already.")
    user = User(email=email, name=name, role=role_value, password_hash="", active=active)
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    if role_value is Role.CITY:
        city = db.session.scalar(select(City).where(City.slug == city_slug)) if city_slug else None
        if city is None:
            raise InvalidInput(
                f"A city account needs an existing city: '{city_slug}' was not found "
                "(see the slugs on /cities)."
            )
        user.city = city
    elif role_value is Role.PARTNER:
        partner = (
            db.session.scalar(select(Partner).where(Partner.slug == partner_slug))
            if partner_slug
            else None
        )
        if partner is None:
            raise InvalidInput(
                f"A partner account needs an existing partner: '{partner_slug}' was not found."
            )
        user.partner = partner
    elif role_value is Role.EXPERT:
        expert = (
            db.session.scalar(select(Expert).where(Expert.slug == expert_slug))
            if expert_slug
            else None
        )
        if expert is None:
            raise InvalidInput(
                f"An expert account needs an expert of the pool: '{expert_slug}' was not found "
                "(see /experts)."
            )
        user.expert = expert
    elif city_slug or partner_slug or expert_slug:
        raise InvalidInput("A staff account is bound to no city and no partner.")
    db.session.add(user)
    db.session.flush()
    record("create", "user", user.id, {"email": email, "role": role_value.value}, user_id=actor_id)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; InvalidInput says what is wrong."""
    if not check_password_hash(user.password_hash, current or ""):
        raise InvalidInput("The current password is wrong: type the one you sign in with.")
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The new password needs at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = generate_password_hash(new, method=PASSWORD_METHOD)
    record("change_password", "user", user.id, {}, user_id=user.id)
    db.session.commit()
