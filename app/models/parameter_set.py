"""Parameter sets made by programme staff: versioned copies of a built-in or staff set.

Each save is a new row (name, version): a version is never changed after it is saved,
so an appraisal run that names a set and version can always be shown and recomputed.
The built-in sets are package data of :mod:`appraisal.analysis.parameters`, not rows.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.user import User


class StaffParameterSet(Base):
    __tablename__ = "parameter_set"
    __table_args__ = (sa.UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), index=True)
    version: Mapped[int]
    based_on_name: Mapped[str] = mapped_column(sa.String(60))
    based_on_version: Mapped[str] = mapped_column(sa.String(40))
    # ParameterSet.to_dict(): every value, the carbon path and a source for each value.
    values: Mapped[dict] = mapped_column(sa.JSON)
    change_note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()
