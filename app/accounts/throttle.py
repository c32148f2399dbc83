"""Sign-in limits per account and per client address, shared by every worker.

Failed sign-ins are rows in the database (which every worker and machine shares), so
two workers do not double the limit and a restart does not reset it. An account with
``per_account`` failures within ``minutes`` is blocked until the oldest of them is
``minutes`` old, even for the right password; an address likewise with ``per_address``
failures (higher: several people may share an office's address). The client address
is the one ProxyFix reads behind the configured number of proxies (``USC_PROXIES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from app.core.extensions import db
from app.models import LoginFailure
from app.models.base import as_utc, utcnow

__all__ = ["Limits", "blocked_until", "record_failure", "forget_failures"]


@dataclass(frozen=True)
class Limits:
    per_account: int = 5
    per_address: int = 50
    minutes: int = 15


def _keys(email: str, address: str | None) -> list[tuple[str, str]]:
    keys = [("account", f"account:{email.strip().lower()[:254]}")]
    if address:
        keys.append(("address", f"address:{address[:64]}"))
    return keys


def blocked_until(email: str, address: str | None, limits: Limits) -> datetime | None:
    """When the block of this account or address ends, or None when it may sign in."""
    since = utcnow() - timedelta(minutes=limits.minutes)
    ends = []
    for kind, key in _keys(email, address):
        allowed = limits.per_account if kind == "account" else limits.per_address
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.key == key, LoginFailure.at > since
            )
        ).one()
        if count >= allowed and oldest is not None:
            ends.append(as_utc(oldest) + timedelta(minutes=limits.minutes))
    return max(ends) if ends else None


def record_failure(email: str, address: str | None, limits: Limits) -> None:
    """Count one failed sign-in for the account and the address; drop stale rows."""
    now = utcnow()
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.at < now - timedelta(minutes=limits.minutes))
    )
    for _, key in _keys(email, address):
        db.session.add(LoginFailure(key=key, at=now))
    db.session.commit()


def forget_failures(email: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    key = _keys(email, None)[0][1]
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))
    db.session.commit()
