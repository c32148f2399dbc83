"""Sessions that end: each sign-in is a server-side row that signing out closes.

The browser's signed cookie holds a random token (never stored: only its SHA-256 is);
a request is signed in only while the token's :class:`LoginSession` row is open and
belongs to the user the cookie names. Signing out closes the row, so a copied cookie
is refused from then on; changing the password closes every other session of the
account, and "sign out everywhere" closes them all.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.core.audit import record
from app.core.extensions import db
from app.core.security import digest, new_secret
from app.models import LoginSession, User
from app.models.base import as_utc, utcnow

__all__ = [
    "open_session",
    "session_user",
    "end_session",
    "close_sessions",
    "end_all_sessions",
    "open_sessions",
]

#: How often the "last seen" time of a session is written (not on every request).
TOUCH_EVERY = timedelta(minutes=5)


def open_session(user: User, user_agent: str = "") -> str:
    """Record a new session of ``user``; returns the token for the cookie."""
    token = new_secret()
    db.session.add(
        LoginSession(user_id=user.id, token_hash=digest(token), user_agent=user_agent[:200])
    )
    db.session.commit()
    return token


def session_user(user_id: str, token: str | None) -> User | None:
    """The active user of an open session with this token, or None."""
    if not token:
        return None
    try:
        wanted = int(user_id)
    except (TypeError, ValueError):
        return None
    row = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(token)))
    if row is None or row.ended_at is not None or row.user_id != wanted:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if now - as_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return user


def end_session(token: str | None) -> None:
    """Close the session with this token (signing out)."""
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()


def close_sessions(user: User, *, keep: str | None = None) -> int:
    """Close the open sessions of ``user`` but ``keep``'s, in the caller's transaction."""
    query = (
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    if keep:
        query = query.where(LoginSession.token_hash != digest(keep))
    return db.session.execute(query).rowcount or 0


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """Close every open session of ``user`` but the one with token ``keep``; how many."""
    ended = close_sessions(user, keep=keep)
    record("end_sessions", "user", user.id, {"ended": ended}, user_id=user.id)
    db.session.commit()
    return ended


def open_sessions(user: User) -> list[LoginSession]:
    """The account's open sessions, newest first (for the account page)."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
            .order_by(LoginSession.created_at.desc())
        )
    )
