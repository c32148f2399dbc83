"""Bundles: a city's chosen set of projects under limits, sent to the city for review."""

from __future__ import annotations

import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Money, TimestampMixin, str_enum
from app.models.geo import City
from app.models.project import Project


class BundleStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"


class LimitKind(enum.StrEnum):
    BUDGET = "budget"  # a named resource (e.g. capex_2027) the selection may not exceed
    SECTOR_MIN = "sector_min"
    SECTOR_MAX = "sector_max"


class Bundle(TimestampMixin, Base):
    __tablename__ = "bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[BundleStatus] = mapped_column(
        str_enum(BundleStatus, "bundle_status"), default=BundleStatus.DRAFT
    )
    objective: Mapped[str] = mapped_column(sa.String(40), default="enpv")
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    price_base_year: Mapped[int | None]
    # Choices beside the items and limits: {"enpv_weight": 0.5, "requires": [[b, a]],
    # "excludes": [[a, b]], "groups": {"<project id>": "<variant group>"}} (project ids).
    rules: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    #: The token of the form that created it: the same form submitted twice creates once.
    creation_key: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    __mapper_args__ = {"version_id_col": version}

    city: Mapped[City] = relationship()
    items: Mapped[list[BundleItem]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan"
    )
    limits: Mapped[list[BundleLimit]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan"
    )


class BundleItem(Base):
    """A candidate project of a bundle, whether forced in or out, and whether chosen."""

    __tablename__ = "bundle_item"
    __table_args__ = (sa.UniqueConstraint("bundle_id", "project_id", name="uq_bundle_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(sa.ForeignKey("bundle.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    must_include: Mapped[bool] = mapped_column(default=False)
    must_exclude: Mapped[bool] = mapped_column(default=False)
    selected: Mapped[bool | None]

    bundle: Mapped[Bundle] = relationship(back_populates="items")
    project: Mapped[Project] = relationship()


class BundleLimit(Base):
    __tablename__ = "bundle_limit"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(sa.ForeignKey("bundle.id", ondelete="CASCADE"))
    kind: Mapped[LimitKind] = mapped_column(str_enum(LimitKind, "limit_kind"))
    name: Mapped[str] = mapped_column(sa.String(80))
    year: Mapped[int | None]
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(sa.String(20), default="EUR")

    bundle: Mapped[Bundle] = relationship(back_populates="limits")
