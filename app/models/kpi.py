"""The twelve programme sectors, the U4SSC KPIs, their targets, city values, and where the
values came from (every change, and the files imported)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, str_enum, utcnow


class Direction(enum.StrEnum):
    """Which way a KPI improves (as u4ssc_kpis.csv gives it)."""

    HIGHER = "higher"
    LOWER = "lower"
    TARGET = "target"  # best at the target, worse either side (e.g. gender income ratio 1.0)
    BOOLEAN = "boolean"  # yes/no; stored as 1.0 / 0.0, the target is 1.0 (yes)
    MIXED = "mixed"  # depends on the data point (see the data-point targets)


kpi_sector = sa.Table(
    "kpi_sector",
    Base.metadata,
    sa.Column("kpi_id", sa.ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sector_id", sa.ForeignKey("sector.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("basis", sa.Text),
)


class Sector(Base):
    """One of the programme's twelve sectors."""

    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    position: Mapped[int]
    description: Mapped[str | None] = mapped_column(sa.Text)
    sdg_goals: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    source: Mapped[str | None] = mapped_column(sa.Text)

    kpis: Mapped[list[Kpi]] = relationship(secondary=kpi_sector, back_populates="sectors")


class Kpi(Base):
    """A U4SSC key performance indicator (ITU-T Y.4903)."""

    __tablename__ = "kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    dimension: Mapped[str] = mapped_column(sa.String(40))
    sub_dimension: Mapped[str | None] = mapped_column(sa.String(80))
    category: Mapped[str] = mapped_column(sa.String(80), index=True)
    core_or_advanced: Mapped[str | None] = mapped_column(sa.String(10))
    kpi_type: Mapped[str | None] = mapped_column(sa.String(20))
    unit: Mapped[str | None] = mapped_column(sa.String(120))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"))
    data_points: Mapped[str | None] = mapped_column(sa.Text)
    sdg_goals: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    verified: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.Text)

    sectors: Mapped[list[Sector]] = relationship(secondary=kpi_sector, back_populates="kpis")


class KpiTarget(Base):
    """A target for a KPI (or one of its data points), global or for one city.

    Published targets are seeded with their source; staff may add a city's own
    target (``city_id`` set), which then takes precedence for that city. Staged
    targets (e.g. 55 % recycled by 2025, 60 % by 2030) are one row per target year.
    """

    __tablename__ = "kpi_target"
    __table_args__ = (
        sa.UniqueConstraint(
            "kpi_id", "data_point", "city_id", "target_year", name="uq_kpi_target_scope"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(sa.ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    data_point: Mapped[str] = mapped_column(sa.String(120), default="")
    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"))
    value: Mapped[float]
    unit: Mapped[str | None] = mapped_column(sa.String(120))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"))
    target_year: Mapped[int | None]
    source_title: Mapped[str | None] = mapped_column(sa.Text)
    source_url: Mapped[str | None] = mapped_column(sa.Text)
    confidence: Mapped[str | None] = mapped_column(sa.String(20))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    kpi: Mapped[Kpi] = relationship()


class KpiValue(Base):
    """A city's value of a KPI (or data point) in a year, with its source."""

    __tablename__ = "kpi_value"
    __table_args__ = (
        sa.UniqueConstraint("city_id", "kpi_id", "data_point", "year", name="uq_kpi_value_obs"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(sa.ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    data_point: Mapped[str] = mapped_column(sa.String(120), default="")
    year: Mapped[int]
    year_basis: Mapped[str | None] = mapped_column(sa.String(120))
    value: Mapped[float]
    unit: Mapped[str | None] = mapped_column(sa.String(120))
    source: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    illustrative: Mapped[bool] = mapped_column(default=False)

    kpi: Mapped[Kpi] = relationship()


class KpiValueChange(Base):
    """One change to one KPI value: created, updated or removed, with the value before.

    The observation is named by city, KPI, data point and year (not by the value's
    row), so the history outlives a removed value.
    """

    __tablename__ = "kpi_value_change"
    __table_args__ = (sa.Index("ix_kpi_value_change_obs", "city_id", "kpi_id", "data_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(sa.ForeignKey("kpi.id", ondelete="CASCADE"))
    data_point: Mapped[str] = mapped_column(sa.String(120), default="")
    year: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(10))  # create, update, delete
    old_value: Mapped[float | None]
    old_unit: Mapped[str | None] = mapped_column(sa.String(120))
    old_source: Mapped[str | None] = mapped_column(sa.Text)
    old_note: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[float | None]
    new_unit: Mapped[str | None] = mapped_column(sa.String(120))
    new_source: Mapped[str | None] = mapped_column(sa.Text)
    new_note: Mapped[str | None] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(sa.String(200))  # "grid", "import 12 (file.csv)", "seed"
    import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("data_import.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DataImport(Base):
    """A file uploaded for import (KPI values, partners): previewed, then committed or not."""

    __tablename__ = "data_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="kpis")
    filename: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    file_format: Mapped[str] = mapped_column(sa.String(20))  # long or template
    status: Mapped[str] = mapped_column(sa.String(20), default="previewed")
    digest: Mapped[str] = mapped_column(sa.String(64))  # of the preview the user saw
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_at: Mapped[datetime | None]
