"""The solution catalogue: standard city solutions with published economics."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UnitCost
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
