"""Twin cities: a mentor city paired with a mentee city, with the reasons."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.geo import City


class Twinning(Base):
    __tablename__ = "twinning"
    __table_args__ = (
        sa.UniqueConstraint("mentor_city_id", "mentee_city_id", name="uq_twinning_pair"),
        sa.CheckConstraint("mentor_city_id <> mentee_city_id", name="distinct_cities"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"))
    mentee_city_id: Mapped[int] = mapped_column(sa.ForeignKey("city.id", ondelete="CASCADE"))
    score: Mapped[float]
    components: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentor: Mapped[City] = relationship(foreign_keys=[mentor_city_id])
    mentee: Mapped[City] = relationship(foreign_keys=[mentee_city_id])
