"""Kept appraisal runs (the inputs as used and the results, so runs can be compared) and
the parameter sets made by programme staff that runs may use.

A staff set is saved as a new row per version (name, version): a version is never
changed after it is saved, so a run that names a set and version can always be shown
and recomputed. The built-in sets are package data of
:mod:`appraisal.analysis.parameters`, not rows.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.project import Project
from app.models.user import User


class AppraisalRun(Base):
    __tablename__ = "appraisal_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    parameter_set: Mapped[str] = mapped_column(sa.String(60))
    # Empty for runs kept before versions were recorded here: their inputs hold it.
    parameter_set_version: Mapped[str | None] = mapped_column(sa.String(40))
    engine_version: Mapped[str] = mapped_column(sa.String(20))
    inputs: Mapped[dict] = mapped_column(sa.JSON)
    results: Mapped[dict] = mapped_column(sa.JSON)
    verdict: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    project: Mapped[Project] = relationship()

    @property
    def parameter_set_label(self) -> str:
        """The set's name and version, as the run recorded them."""
        version = self.parameter_set_version or (self.inputs or {}).get("parameter_set", {}).get(
            "version"
        )
        return f"{self.parameter_set} (version {version})" if version else self.parameter_set


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
