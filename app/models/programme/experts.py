"""The programme's expert pool and the teams it sends: experts with their fields (the
twelve sectors and the KPI dimensions), countries, languages and availability, and the
experts proposed to or confirmed on an engagement with the reasons they were chosen."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class Expert(Base):
    """One expert of the pool. ``sectors`` holds sector slugs, ``dimensions`` KPI
    dimension names, ``countries`` ISO 3166-1 alpha-2 codes, ``languages`` ISO 639-1
    codes. Availability: days a year the expert gives the programme, and days one
    engagement takes them."""

    __tablename__ = "expert"
    __table_args__ = (
        sa.CheckConstraint("days_per_year >= 0", name="days_per_year_not_negative"),
        sa.CheckConstraint("days_per_engagement > 0", name="days_per_engagement_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    sectors: Mapped[list] = mapped_column(sa.JSON, default=list)
    dimensions: Mapped[list] = mapped_column(sa.JSON, default=list)
    countries: Mapped[list] = mapped_column(sa.JSON, default=list)
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    days_per_year: Mapped[int]
    days_per_engagement: Mapped[int]
    past_engagements: Mapped[str] = mapped_column(sa.Text, default="")
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.Text, default="")


class TeamMember(Base):
    """An expert confirmed on an engagement's team, with the days it takes them and the
    reasons the proposal gave."""

    __tablename__ = "team_member"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "expert_id", name="one_seat_each"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert.id", ondelete="CASCADE"))
    days: Mapped[int]
    year: Mapped[int]  # the year whose availability the days count against
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)

    expert: Mapped[Expert] = relationship()
