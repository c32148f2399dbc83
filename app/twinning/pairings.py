"""Twinnings kept: a cohort's pairing saved as Twinning rows, and the list of them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.extensions import db
from app.core.permissions import require_staff
from app.models import Twinning, User

__all__ = ["keep_pairing", "saved_pairs"]


def keep_pairing(result: dict, user_id: int | None) -> int:
    """Replace the mentees' proposed twinnings by the cohort's pairing; pairs already kept stay."""
    mentees = [int(c) for c, info in result["cities"].items() if info["role"] == "mentee"]
    db.session.execute(
        sa.delete(Twinning).where(
            Twinning.mentee_city_id.in_(mentees), Twinning.status == "proposed"
        )
    )
    kept = set(
        db.session.execute(sa.select(Twinning.mentor_city_id, Twinning.mentee_city_id)).all()
    )
    written = 0
    for pair in result["pairing"]:
        key = (int(pair["mentor"]), int(pair["mentee"]))
        if key in kept:
            continue
        fit = next(
            (s for s in result["suggestions"][pair["mentee"]] if s["twin"] == pair["mentor"]),
            None,
        )
        db.session.add(
            Twinning(
                mentor_city_id=key[0],
                mentee_city_id=key[1],
                score=pair["score"],
                components={"confidence": fit["confidence"]} if fit else {},
                reasons=pair["reasons"],
            )
        )
        written += 1
    record(
        "save_twinning", "twinning", None, {"pairs": written, **result["cohort"]}, user_id=user_id
    )
    db.session.commit()
    return written


def saved_pairs(user: User) -> list[Twinning]:
    """The 200 best-scored twinnings kept so far (staff only)."""
    require_staff(user)
    return list(
        db.session.scalars(
            sa.select(Twinning)
            .options(selectinload(Twinning.mentor), selectinload(Twinning.mentee))
            .order_by(Twinning.score.desc())
            .limit(200)
        )
    )
