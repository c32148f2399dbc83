"""A city's Organizing Committee (COC): its members, each with an organisation and a
stakeholder group, and how each member voted on a bundle decision (a Review)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, str_enum, utcnow


class StakeholderGroup(enum.StrEnum):
    """The groups the programme names for a COC's "multi-stakeholder alliance"."""

    CITY_ADMINISTRATION = "city_administration"
    PRIVATE_SECTOR = "private_sector"
    GOVERNMENT = "government"
    CITIZENS = "citizens"
    ENVIRONMENT = "environment"
    CONSUMERS = "consumers"
    FINANCE = "finance"


class Vote(enum.StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    ABSTAINED = "abstained"


class CommitteeMember(Base):
    __tablename__ = "committee_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    organisation: Mapped[str] = mapped_column(sa.String(200))
    group: Mapped[StakeholderGroup] = mapped_column(str_enum(StakeholderGroup, "stakeholder_group"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommitteeVote(Base):
    """One member's part in a bundle decision: their vote and comment."""

    __tablename__ = "committee_vote"
    __table_args__ = (sa.UniqueConstraint("review_id", "member_id", name="one_vote_each"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id", ondelete="CASCADE"))
    vote: Mapped[Vote] = mapped_column(str_enum(Vote, "vote"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    member: Mapped[CommitteeMember] = relationship()
