"""Industry partners, their expressions of interest and computed matches."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Money, str_enum, utcnow
from app.models.catalogue import ProductPackage
from app.models.geo import Country
from app.models.kpi import Sector
from app.models.project import Project


class PartnerKind(enum.StrEnum):
    TECHNOLOGY_COMPANY = "technology_company"
    INTERNATIONAL_INVESTOR = "international_investor"
    FINANCIAL_INSTITUTION = "financial_institution"
    LOCAL_COMPANY = "local_company"


class PartnerStatus(enum.StrEnum):
    """A self-registered partner waits for staff; seeded and imported ones are approved."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Instrument(enum.StrEnum):
    """Financing instruments a finance partner offers (and a project may seek)."""

    LOAN = "loan"
    EQUITY = "equity"
    GUARANTEE = "guarantee"
    GRANT = "grant"
    GREEN_BOND = "green_bond"
    MEZZANINE = "mezzanine"


class RiskAppetite(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


partner_sector = sa.Table(
    "partner_sector",
    Base.metadata,
    sa.Column("partner_id", sa.ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sector_id", sa.ForeignKey("sector.id", ondelete="CASCADE"), primary_key=True),
)

partner_country = sa.Table(
    "partner_country",
    Base.metadata,
    sa.Column("partner_id", sa.ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("country_id", sa.ForeignKey("country.id", ondelete="CASCADE"), primary_key=True),
)


class Partner(Base):
    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[PartnerKind] = mapped_column(str_enum(PartnerKind, "partner_kind"))
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("country.id"))
    regions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    ticket_min: Mapped[Decimal | None] = mapped_column(Money)
    ticket_max: Mapped[Decimal | None] = mapped_column(Money)
    ticket_currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    risk_appetite: Mapped[RiskAppetite | None] = mapped_column(
        str_enum(RiskAppetite, "risk_appetite")
    )
    capabilities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    track_record_projects: Mapped[int | None]
    track_record_note: Mapped[str | None] = mapped_column(sa.Text)
    capacity: Mapped[int] = mapped_column(default=3)
    description: Mapped[str | None] = mapped_column(sa.Text)
    illustrative: Mapped[bool] = mapped_column(default=False)
    #: Capabilities in the partner's own words, beside the controlled ones (not scored).
    capabilities_other: Mapped[str | None] = mapped_column(sa.Text)
    delivery_models: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    instruments: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    website: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[PartnerStatus] = mapped_column(
        str_enum(PartnerStatus, "partner_status"),
        default=PartnerStatus.APPROVED,
        server_default=PartnerStatus.APPROVED.value,
        index=True,
    )
    review_reason: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL", use_alter=True)
    )
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    country: Mapped[Country | None] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=partner_sector)
    countries: Mapped[list[Country]] = relationship(secondary=partner_country)


class InterestStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Interest(Base):
    """A partner's expression of interest in a published project."""

    __tablename__ = "interest"
    __table_args__ = (sa.UniqueConstraint("partner_id", "project_id", name="uq_interest_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partner.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[InterestStatus] = mapped_column(
        str_enum(InterestStatus, "interest_status"), default=InterestStatus.SUBMITTED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    partner: Mapped[Partner] = relationship()
    project: Mapped[Project] = relationship()


class Match(Base):
    """A computed partner-project match (or consortium member) with its explained score."""

    __tablename__ = "match"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "partner_id", "role", name="uq_match_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partner.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(40), default="partner")
    score: Mapped[float]
    confidence: Mapped[float | None]
    components: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship()
    partner: Mapped[Partner] = relationship()


class PackageInterest(Base):
    """A partner's expression of interest in a published package."""

    __tablename__ = "package_interest"
    __table_args__ = (
        sa.UniqueConstraint("partner_id", "package_id", name="uq_package_interest_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        sa.ForeignKey("product_package.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partner.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(sa.Text)
    # the other members when the partner expresses interest as a consortium
    consortium_partner_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    package: Mapped[ProductPackage] = relationship()
    partner: Mapped[Partner] = relationship()
