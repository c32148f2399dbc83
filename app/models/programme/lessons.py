"""Lessons and best practice: a case staff record (a city, a solution, what was done,
results with figures and their sources, lessons), linked to a catalogue solution and
the KPIs it moved, shown beside the suggested solutions for a gap."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.catalogue import ProjectTemplate


class LessonCase(Base):
    __tablename__ = "lesson_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    city_name: Mapped[str] = mapped_column(
        sa.String(120)
    )  # the case's city, on the platform or not
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project_template.id", ondelete="SET NULL"), index=True
    )
    kpi_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    what_was_done: Mapped[str] = mapped_column(sa.Text)
    results: Mapped[str] = mapped_column(sa.Text)  # figures with their units
    sources: Mapped[str] = mapped_column(sa.Text)  # where the figures come from
    lessons: Mapped[str] = mapped_column(sa.Text)
    illustrative: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[ProjectTemplate | None] = relationship()
