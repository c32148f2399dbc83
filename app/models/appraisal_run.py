"""Kept appraisal runs: the inputs as used and the results, so runs can be compared."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.project import Project


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
