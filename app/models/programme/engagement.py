"""Engagements: a city's (or its national government's) request to the programme and the
stages it moves through, each stage with its date, owner, documents and checklist."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, str_enum, utcnow
from app.models.geo import City
from app.models.programme.experts import TeamMember
from app.models.programme.missions import Mission


class EngagementStage(enum.StrEnum):
    """The programme's procedure, in order."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    TEAM_FORMED = "team_formed"
    MISSION_HELD = "mission_held"
    PROFILE_PUBLISHED = "profile_published"
    ACTION_PLAN_AGREED = "action_plan_agreed"
    IN_ANNUAL_REVIEW = "in_annual_review"
    CLOSED = "closed"


class Requester(enum.StrEnum):
    CITY = "city"
    NATIONAL_GOVERNMENT = "national_government"


class Engagement(TimestampMixin, Base):
    """One request of a city to the programme; ``stage`` is where it stands now."""

    __tablename__ = "engagement"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"), index=True)
    requester: Mapped[Requester] = mapped_column(str_enum(Requester, "requester"))
    requester_name: Mapped[str] = mapped_column(sa.String(200))
    requested_on: Mapped[date]
    stage: Mapped[EngagementStage] = mapped_column(
        str_enum(EngagementStage, "engagement_stage"), default=EngagementStage.REQUESTED
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    filed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    creation_key: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    city: Mapped[City] = relationship()
    steps: Mapped[list[EngagementStep]] = relationship(
        back_populates="engagement",
        cascade="all, delete-orphan",
        order_by="EngagementStep.id",
    )
    missions: Mapped[list[Mission]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="Mission.starts_on"
    )
    team: Mapped[list[TeamMember]] = relationship(
        cascade="all, delete-orphan", order_by="TeamMember.id"
    )


class EngagementStep(Base):
    """An engagement's time at one stage: when it began and ended, when it is due, who
    owns it, its documents (links or notes) and which checklist items hold."""

    __tablename__ = "engagement_step"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "stage", name="one_step_per_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[EngagementStage] = mapped_column(str_enum(EngagementStage, "step_stage"))
    started_on: Mapped[date]
    due_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    documents: Mapped[str] = mapped_column(sa.Text, default="")
    #: checklist item key -> ticked
    checklist: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    engagement: Mapped[Engagement] = relationship(back_populates="steps")
