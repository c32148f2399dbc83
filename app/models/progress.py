"""Yearly progress reports: KPI actuals against the plan, per city and project."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.geo import City
from app.models.kpi import Kpi
from app.models.project import Project


class ProgressReport(Base):
    __tablename__ = "progress_report"
    __table_args__ = (
        sa.UniqueConstraint("city_id", "project_id", "year", name="uq_progress_report_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default="on_track")
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City] = relationship()
    project: Mapped[Project | None] = relationship()
    actuals: Mapped[list[KpiActual]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="KpiActual.kpi_id"
    )


class KpiActual(Base):
    """One KPI's planned and actual value in a progress report."""

    __tablename__ = "kpi_actual"
    __table_args__ = (sa.UniqueConstraint("report_id", "kpi_id", name="uq_kpi_actual_kpi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_report.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(sa.ForeignKey("kpi.id", ondelete="CASCADE"))
    planned: Mapped[float | None]
    actual: Mapped[float | None]

    report: Mapped[ProgressReport] = relationship(back_populates="actuals")
    kpi: Mapped[Kpi] = relationship()
