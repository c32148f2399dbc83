"""What follows the mission: the city PROFILE issued for an engagement, the action plan
built from the city's approved bundle (its projects with milestones and owners), and the
annual reviews of the plan's implementation, one per engagement and year."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, str_enum, utcnow
from app.models.project import Project


class MilestoneStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ProfilePublication(Base):
    """The city PROFILE (PDF) issued for an engagement: the file as it was issued."""

    __tablename__ = "profile_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int]  # bytes
    sha256: Mapped[str] = mapped_column(sa.String(64))
    as_of: Mapped[int | None]  # the data year shown (None: the latest)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionPlan(Base):
    """An engagement's action plan: the approved bundle's projects, each with milestones.

    ``agreed_on`` is set when the city's approval of the plan is recorded."""

    __tablename__ = "action_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), unique=True
    )
    bundle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bundle.id", ondelete="SET NULL"))
    agreed_on: Mapped[date | None]
    agreed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan",
        order_by=lambda: (Milestone.project_id, Milestone.due_on, Milestone.id),
    )


class Milestone(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plan.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date]
    owner: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[MilestoneStatus] = mapped_column(
        str_enum(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
    done_on: Mapped[date | None]

    project: Mapped[Project] = relationship()


class AnnualReview(Base):
    """The review of one year of an engagement's plan: the findings staff wrote and the
    figures they saw (milestones, progress reports, KPI movement), kept as they were."""

    __tablename__ = "annual_review"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "year", name="one_review_a_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    baseline_year: Mapped[int | None]
    findings: Mapped[str] = mapped_column(sa.Text)
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
