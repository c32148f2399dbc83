"""Is the database reachable and migrated?"""

from __future__ import annotations

import time

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.core.extensions import db
from app.models import Kpi


def check() -> dict:
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
        kpis = db.session.scalar(select(func.count()).select_from(Kpi))
    except SQLAlchemyError as error:
        db.session.rollback()
        return {
            "status": "error",
            "database": "unreachable or not migrated",
            "detail": str(error.__class__.__name__),
            "hint": "Run `usc db upgrade` and check DATABASE_URL.",
        }
    return {
        "status": "ok",
        "database": db.engine.dialect.name,
        "kpis": kpis,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }
