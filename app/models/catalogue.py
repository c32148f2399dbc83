"""The solution catalogue (standard city solutions with published economics) and the
product packages composed from it for a group of cities."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Money, TimestampMixin, UnitCost, utcnow
from app.models.kpi import Kpi, Sector

template_kpi = sa.Table(
    "template_kpi",
    Base.metadata,
    sa.Column(
        "template_id", sa.ForeignKey("project_template.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("kpi_id", sa.ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
)


class ProjectTemplate(Base):
    """A catalogue solution; costs keep their source's currency and price year."""

    __tablename__ = "project_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    sector_id: Mapped[int] = mapped_column(sa.ForeignKey("sector.id"), index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.Text)
    unit_short: Mapped[str | None] = mapped_column(sa.String(40))
    capex_per_unit_low: Mapped[Decimal | None] = mapped_column(UnitCost)
    capex_per_unit_central: Mapped[Decimal | None] = mapped_column(UnitCost)
    capex_per_unit_high: Mapped[Decimal | None] = mapped_column(UnitCost)
    currency: Mapped[str] = mapped_column(sa.String(3))
    price_year: Mapped[int]
    price_year_note: Mapped[str | None] = mapped_column(sa.String(20))
    opex_per_unit_per_year: Mapped[Decimal | None] = mapped_column(UnitCost)
    opex_pct_of_capex: Mapped[float | None]
    lifetime_years: Mapped[float | None]
    lifetime_basis: Mapped[str | None] = mapped_column(sa.Text)
    typical_effect: Mapped[str | None] = mapped_column(sa.Text)
    indicators_moved: Mapped[str | None] = mapped_column(sa.Text)
    source_title: Mapped[str | None] = mapped_column(sa.Text)
    source_url: Mapped[str | None] = mapped_column(sa.Text)
    confidence: Mapped[str | None] = mapped_column(sa.String(20))

    sector: Mapped[Sector] = relationship()
    kpis: Mapped[list[Kpi]] = relationship(secondary=template_kpi)


class ProductPackage(TimestampMixin, Base):
    """A package for one development level, as composed for its typical city."""

    __tablename__ = "product_package"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    level: Mapped[int]
    levels: Mapped[int]  # number of levels in the grouping it was composed from
    group_summary: Mapped[str] = mapped_column(sa.Text)
    member_city_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    shared_gaps: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # sentences
    gap_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    population: Mapped[int]
    population_note: Mapped[str] = mapped_column(sa.Text)
    currency: Mapped[str] = mapped_column(sa.String(3))
    price_base_year: Mapped[int]
    parameter_set: Mapped[str] = mapped_column(sa.String(120))
    start_year: Mapped[int]  # of the indicative appraisal
    horizon_years: Mapped[int]
    notes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    published: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]

    lines: Mapped[list[ProductPackageLine]] = relationship(
        back_populates="package", cascade="all, delete-orphan", order_by="ProductPackageLine.id"
    )


class ProductPackageLine(Base):
    """One catalogue solution of a package, its quantity and indicative appraisal."""

    __tablename__ = "product_package_line"
    __table_args__ = (
        sa.UniqueConstraint("package_id", "template_id", name="uq_package_line_template"),
        sa.CheckConstraint("quantity > 0", name="positive_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        sa.ForeignKey("product_package.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("project_template.id"))
    quantity: Mapped[int]
    quantity_note: Mapped[str] = mapped_column(sa.Text)
    unit_capex: Mapped[Decimal] = mapped_column(UnitCost)  # on the package's price base
    unit_opex: Mapped[Decimal] = mapped_column(UnitCost)  # a year
    lifetime_years: Mapped[int]
    closes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # shared-gap KPI codes
    funding_gap_rate: Mapped[float]
    dic: Mapped[Decimal] = mapped_column(Money)
    dnr: Mapped[Decimal] = mapped_column(Money)
    appraisal_note: Mapped[str] = mapped_column(sa.Text)
    # the economic side: per-unit basis (None = no basis) and the results on it
    benefit_per_unit: Mapped[Decimal | None] = mapped_column(UnitCost)  # a year
    co2_tonnes_per_unit: Mapped[float | None]  # avoided a year
    benefit_basis: Mapped[str | None] = mapped_column(sa.Text)
    enpv: Mapped[Decimal | None] = mapped_column(Money)
    bc_ratio: Mapped[float | None]
    pv_benefits: Mapped[Decimal | None] = mapped_column(Money)
    pv_costs: Mapped[Decimal | None] = mapped_column(Money)

    package: Mapped[ProductPackage] = relationship(back_populates="lines")
    template: Mapped[ProjectTemplate] = relationship()

    @property
    def capex(self) -> float:
        return float(self.unit_capex) * self.quantity

    @property
    def annual_opex(self) -> float:
        return float(self.unit_opex) * self.quantity


class PackageGrouping(Base):
    """A stored grouping of the cities into development levels (made by a job).

    ``result`` is :func:`matching.grouping.grouping_to_dict` of the grouping plus the
    cities' names, populations and KPI gaps it was made from, so pages and packages
    read the grouping as it was made, with its date and data.
    """

    __tablename__ = "package_grouping"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    cities: Mapped[int]
    levels: Mapped[int]
    kpi_year_from: Mapped[int | None]
    kpi_year_to: Mapped[int | None]
    kpi_values: Mapped[int]
    result: Mapped[dict] = mapped_column(sa.JSON)
