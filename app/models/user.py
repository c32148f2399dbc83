"""Accounts: staff, a city committee member (bound to a city, and to their member row
once the committee is per member), a partner user or an expert of the pool.

Beside them the sign-in state kept on the server: a :class:`LoginSession` row per
signed-in session (signing out ends it, so a copied cookie is refused afterwards) and
:class:`LoginFailure` rows counting failed sign-ins per account and per address in the
database every worker shares, and :class:`Invitation` rows: one-time links with which an
invited account sets its first password (only the token's SHA-256 is kept), and
:class:`ApiToken` rows: personal access tokens for the JSON API (``Authorization: Bearer``),
each acting as its user with the user's role and nothing more (only the SHA-256 is kept;
``prefix``, the first characters, lets the owner tell tokens apart).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, str_enum, utcnow
from app.models.geo import City
from app.models.partner import Partner
from app.models.programme import CommitteeMember, Expert


class Role(enum.StrEnum):
    STAFF = "staff"
    CITY = "city"
    PARTNER = "partner"
    EXPERT = "expert"  # an expert of the pool, bound to their Expert row


class User(UserMixin, Base):
    __tablename__ = "user"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'staff' AND city_id IS NULL AND partner_id IS NULL AND expert_id IS NULL)"
            " OR (role = 'city' AND city_id IS NOT NULL AND partner_id IS NULL"
            " AND expert_id IS NULL)"
            " OR (role = 'partner' AND partner_id IS NOT NULL AND city_id IS NULL"
            " AND expert_id IS NULL)"
            " OR (role = 'expert' AND expert_id IS NOT NULL AND city_id IS NULL"
            " AND partner_id IS NULL)",
            name="role_binding",
        ),
        sa.CheckConstraint(
            "committee_member_id IS NULL OR role = 'city'", name="member_is_city_account"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"))
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partner.id", ondelete="CASCADE"))
    expert_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("expert.id", ondelete="CASCADE"), unique=True
    )
    #: a city account of one member of the city's Organizing Committee (votes as them)
    committee_member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("committee_member.id", ondelete="SET NULL"), unique=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    city: Mapped[City | None] = relationship()
    # partner.reviewed_by_id points at user too: name the column this relationship follows.
    partner: Mapped[Partner | None] = relationship(foreign_keys=[partner_id])
    expert: Mapped[Expert | None] = relationship()
    committee_member: Mapped[CommitteeMember | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active


class LoginSession(Base):
    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")


class LoginFailure(Base):
    __tablename__ = "login_failure"
    __table_args__ = (sa.Index("ix_login_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "account:<e-mail>" or "address:<client address>"
    key: Mapped[str] = mapped_column(sa.String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Invitation(Base):
    """A one-time set-password link of an invited account, valid until ``expires_at``.

    Only the SHA-256 of the token is stored. ``used_at`` is set when the password is
    set; ``replaced_at`` when a newer link replaces it or the account is deactivated.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    replaced_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
