"""Investment projects, their yearly cash-flow lines and their financing plans."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Money, TimestampMixin, str_enum
from app.models.catalogue import ProjectTemplate
from app.models.geo import City
from app.models.kpi import Kpi, Sector


class Stage(enum.StrEnum):
    """Pipeline stages, in order; ``dropped`` needs a reason."""

    IDENTIFIED = "identified"
    FORMULATED = "formulated"
    APPRAISED = "appraised"
    BUNDLED = "bundled"
    PUBLISHED = "published"
    MATCHED = "matched"
    FINANCED = "financed"
    IN_IMPLEMENTATION = "in_implementation"
    MONITORED = "monitored"
    DROPPED = "dropped"


class DeliveryModel(enum.StrEnum):
    PUBLIC = "public"
    PPP_AVAILABILITY = "ppp_availability"
    PPP_CONCESSION = "ppp_concession"


class PriceBasis(enum.StrEnum):
    REAL = "real"
    NOMINAL = "nominal"


class FlowKind(enum.StrEnum):
    """Kinds of yearly cash-flow line (money in the project's currency and price base)."""

    CAPEX = "capex"
    REPLACEMENT = "replacement"
    OPEX_FIXED = "opex_fixed"
    OPEX_VARIABLE = "opex_variable"
    REVENUE = "revenue"
    RESIDUAL_VALUE = "residual_value"
    ECONOMIC_BENEFIT = "economic_benefit"
    EXTERNALITY = "externality"
    CO2_TONNES = "co2_tonnes"  # tonnes avoided (positive) that year, not money


project_kpi = sa.Table(
    "project_kpi",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kpi_id", sa.ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
)


class Project(TimestampMixin, Base):
    """An investment project formulated to close named KPI gaps of one city."""

    __tablename__ = "project"
    # The pipeline board on 20,000 projects: the newest few of each stage (stage, id DESC),
    # and counts and capex sums per stage read from a covering index, not the wide rows.
    __table_args__ = (
        sa.Index("ix_project_stage_id", "stage", "id"),
        sa.Index("ix_project_stage_totals", "stage", "currency", "price_base_year", "capex_total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id"), index=True)
    sector_id: Mapped[int] = mapped_column(sa.ForeignKey("sector.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project_template.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "stage"), default=Stage.IDENTIFIED)
    dropped_reason: Mapped[str | None] = mapped_column(sa.Text)
    delivery_model: Mapped[DeliveryModel] = mapped_column(
        str_enum(DeliveryModel, "delivery_model"), default=DeliveryModel.PUBLIC
    )
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    price_base_year: Mapped[int]
    price_basis: Mapped[PriceBasis] = mapped_column(
        str_enum(PriceBasis, "price_basis"), default=PriceBasis.REAL
    )
    start_year: Mapped[int]
    horizon_years: Mapped[int] = mapped_column(default=25)
    scale_quantity: Mapped[float | None]
    capex_total: Mapped[Decimal | None] = mapped_column(Money)
    #: Slugs of the capability list (seeds/capabilities.csv); matching reads them.
    needed_capabilities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Needs in the formulator's own words (shown, not scored).
    needs_other: Mapped[str | None] = mapped_column(sa.Text)
    #: Financing instruments the project seeks (loan, equity, guarantee, ...).
    instruments_sought: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    risk_level: Mapped[str] = mapped_column(sa.String(10), default="medium")
    local_conditions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    risks: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    assumptions: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    published: Mapped[bool] = mapped_column(default=False, index=True)
    published_at: Mapped[datetime | None]
    illustrative: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    #: The token of the form that created it: the same form submitted twice creates once.
    creation_key: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    __mapper_args__ = {"version_id_col": version}

    city: Mapped[City] = relationship()
    sector: Mapped[Sector] = relationship()
    template: Mapped[ProjectTemplate | None] = relationship()
    kpis: Mapped[list[Kpi]] = relationship(secondary=project_kpi)
    cash_flows: Mapped[list[CashFlowLine]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="(CashFlowLine.year, CashFlowLine.kind)",
    )


class CashFlowLine(Base):
    """One amount of one kind in one year (year 0 = the project's start year)."""

    __tablename__ = "cash_flow_line"
    __table_args__ = (sa.UniqueConstraint("project_id", "year", "kind", name="uq_cash_flow_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    kind: Mapped[FlowKind] = mapped_column(str_enum(FlowKind, "flow_kind"))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(sa.Text)

    project: Mapped[Project] = relationship(back_populates="cash_flows")


class ProjectFinancingPlan(TimestampMixin, Base):
    """A project's financing plan: its sources per year and loan terms, one JSON document.

    The plan is small (a few sources over the horizon, at most three loans) and always
    read and written whole, so it is one row per project (see app.financing.plan for
    the layout), in the project's currency and price base; ``version`` refuses a save
    made from a stale copy (409), as a project's does. Results are computed, not stored.
    """

    __tablename__ = "financing_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project.id", ondelete="CASCADE"), unique=True
    )
    terms: Mapped[dict] = mapped_column(sa.JSON)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    project: Mapped[Project] = relationship()
