"""Long-running work (Monte Carlo runs, large bundles) with its status and progress."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, str_enum, utcnow


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    __tablename__ = "job"

    id: Mapped[str] = mapped_column(
        sa.String(32), primary_key=True, default=lambda: uuid.uuid4().hex
    )
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status"), default=JobStatus.QUEUED, index=True
    )
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    result_url: Mapped[str | None] = mapped_column(sa.String(200))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
