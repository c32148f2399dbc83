"""A city committee's decision on a bundle or project, with comments."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, str_enum, utcnow
from app.models.geo import City


class Decision(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"


class Review(Base):
    __tablename__ = "review"
    __table_args__ = (
        sa.CheckConstraint(
            "bundle_id IS NOT NULL OR project_id IS NOT NULL", name="reviews_something"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"), index=True)
    bundle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bundle.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "decision"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City] = relationship()
