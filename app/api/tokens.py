"""Personal access tokens: created once (shown once), listed, revoked, and checked on
every API request. A token acts with its user's role and nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.service import normalise_email
from app.core.audit import record
from app.core.errors import InvalidInput, NotAuthenticated, NotFound
from app.core.extensions import db
from app.core.security import digest, new_secret
from app.models import ApiToken, User
from app.models.base import as_utc, utcnow

__all__ = [
    "MAX_TOKENS",
    "PREFIX",
    "NewToken",
    "authenticate",
    "create_token",
    "create_token_for",
    "list_tokens",
    "revoke_token",
]

PREFIX = "usc_"
MAX_TOKENS = 20  # live tokens per account
MAX_DAYS = 366
NAME_MAX = 80
#: How often a token's "last used" time is written (not on every request).
TOUCH_EVERY = timedelta(minutes=5)
ASK_AGAIN = "Create a new token at /account/tokens (or ask staff to run `usc token create`)."


@dataclass(frozen=True)
class NewToken:
    """The stored token and its secret: the only time the secret is known in clear."""

    token: ApiToken
    secret: str


def _live(user: User):
    now = utcnow()
    return select(ApiToken).where(
        ApiToken.user_id == user.id,
        ApiToken.revoked_at.is_(None),
        (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now),
    )


def list_tokens(user: User) -> list[ApiToken]:
    """The account's tokens, newest first (revoked and expired ones too, marked)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def create_token(user: User, name: str, days: int | None = None) -> NewToken:
    """A new token for the signed-in ``user`` itself, valid ``days`` (None: until revoked)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(
            "Give the token a name that says where it is used (e.g. 'nightly KPI push')."
        )
    if len(name) > NAME_MAX:
        raise InvalidInput(f"The name may be up to {NAME_MAX} characters (it has {len(name)}).")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"A token may last 1 to {MAX_DAYS} days, or until revoked; not {days}.")
    if not user.active:
        raise InvalidInput(f"The account {user.email} is deactivated; it cannot have tokens.")
    live = db.session.scalar(select(func.count()).select_from(_live(user).subquery()))
    if live >= MAX_TOKENS:
        raise InvalidInput(
            f"An account may hold {MAX_TOKENS} live tokens; revoke one you no longer use first."
        )
    secret = new_secret(PREFIX)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[: len(PREFIX) + 4],
        token_hash=digest(secret),
        expires_at=utcnow() + timedelta(days=days) if days else None,
    )
    db.session.add(token)
    db.session.flush()
    record("create", "api_token", token.id, {"name": name, "days": days}, user_id=user.id)
    db.session.commit()
    return NewToken(token, secret)


def create_token_for(email: str, name: str, days: int | None = None) -> NewToken:
    """``usc token create``: a token for the account with this e-mail."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"There is no account {email}; create it first (usc create-user).")
    return create_token(user, name, days)


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the account's own tokens; scripts using it get 401 from now on."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"You have no token {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("revoke", "api_token", token.id, {"name": token.name}, user_id=user.id)
        db.session.commit()
    return token


def authenticate(header: str | None) -> User:
    """The active user whose live token the ``Authorization`` header carries."""
    scheme, _, secret = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated(
            "Send your personal access token as 'Authorization: Bearer <token>'. " + ASK_AGAIN
        )
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret.strip())))
    now = utcnow()
    if token is None:
        raise NotAuthenticated("This token is not known. " + ASK_AGAIN)
    if token.revoked_at is not None:
        raise NotAuthenticated(f"The token '{token.name}' was revoked. " + ASK_AGAIN)
    if token.expires_at is not None and as_utc(token.expires_at) <= now:
        raise NotAuthenticated(f"The token '{token.name}' has expired. " + ASK_AGAIN)
    if not token.user.active:
        raise NotAuthenticated(f"The account {token.user.email} is deactivated.")
    last = token.last_used_at
    if last is None or now - as_utc(last) >= TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.user
