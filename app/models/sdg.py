"""The SDG goals, targets and indicators named in the programme text."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class SdgGoal(Base):
    __tablename__ = "sdg_goal"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.Text)

    targets: Mapped[list[SdgTarget]] = relationship(back_populates="goal")


class SdgTarget(Base):
    __tablename__ = "sdg_target"

    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    goal_number: Mapped[int] = mapped_column(sa.ForeignKey("sdg_goal.number"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.Text)

    goal: Mapped[SdgGoal] = relationship(back_populates="targets")
    indicators: Mapped[list[SdgIndicator]] = relationship(back_populates="target")


class SdgIndicator(Base):
    __tablename__ = "sdg_indicator"

    code: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    target_code: Mapped[str] = mapped_column(sa.ForeignKey("sdg_target.code"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.Text)

    target: Mapped[SdgTarget] = relationship(back_populates="indicators")
