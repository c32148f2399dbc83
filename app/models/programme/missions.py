"""Missions of an engagement's team to the city: dates, participants, findings per KPI
dimension, and the KPI value changes (entries or imports) the mission produced."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.kpi import KpiValueChange

#: The U4SSC KPI dimensions (seeds/u4ssc_kpis.csv, column ``dimension``).
KPI_DIMENSIONS = ("Economy", "Environment", "Society and Culture")

mission_kpi_change = sa.Table(
    "mission_kpi_change",
    Base.metadata,
    sa.Column("mission_id", sa.ForeignKey("mission.id", ondelete="CASCADE"), primary_key=True),
    # a change is produced by one mission at most
    sa.Column(
        "change_id",
        sa.ForeignKey("kpi_value_change.id", ondelete="CASCADE"),
        primary_key=True,
        unique=True,
    ),
)


class Mission(Base):
    __tablename__ = "mission"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    participants: Mapped[str] = mapped_column(sa.Text)  # one a line: name, organisation
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    creation_key: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    # Named by string: engagement.py imports this module (no import circle).
    engagement = relationship("Engagement", back_populates="missions")
    findings: Mapped[list[MissionFinding]] = relationship(
        cascade="all, delete-orphan", order_by="MissionFinding.dimension"
    )
    changes: Mapped[list[KpiValueChange]] = relationship(
        secondary=mission_kpi_change, order_by="KpiValueChange.id"
    )


class MissionFinding(Base):
    """What the mission found in one KPI dimension."""

    __tablename__ = "mission_finding"
    __table_args__ = (sa.UniqueConstraint("mission_id", "dimension", name="one_per_dimension"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(sa.ForeignKey("mission.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(sa.String(40))
    text: Mapped[str] = mapped_column(sa.Text)
