"""A city committee's decisions on the bundles sent to it, kept as Review records.

Only a city account of the bundle's own city may decide, and only while the bundle
is sent to it; a rejection or a request for changes needs a comment saying why. The
bundle's status follows the decision; staff may then revise it (back to draft).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.permissions import require_role
from app.engagements.committee import record_votes
from app.models import Bundle, BundleStatus, Decision, Review, Role, Stage, User
from app.projects.stages import promote

__all__ = [
    "ReviewEntry",
    "review_bundle",
    "bundle_reviews",
    "latest_reviews",
    "review_history",
    "COMMENT_REQUIRED",
]

#: Decisions that must say why.
COMMENT_REQUIRED = {Decision.REJECTED, Decision.CHANGES_REQUESTED}
_STATUS_AFTER = {
    Decision.APPROVED: BundleStatus.APPROVED,
    Decision.REJECTED: BundleStatus.REJECTED,
    Decision.CHANGES_REQUESTED: BundleStatus.CHANGES_REQUESTED,
}


@dataclass(frozen=True)
class ReviewEntry:
    """A review as shown: who decided what on which bundle, when, and why."""

    id: int
    bundle_id: int | None
    bundle_name: str
    bundle_status: str
    decision: str
    comment: str
    reviewer: str
    created_at: datetime


def review_bundle(
    user: User,
    bundle_id: int,
    submitted_version: int | None,
    decision: str,
    comment: str,
    votes: Mapping[int, tuple[str, str]] | None = None,
) -> Review:
    """Record the city's decision on a bundle sent to it; the status follows.

    ``votes`` (member id -> vote, comment) records who of the city's Organizing
    Committee took part and how each voted; a city with a committee must give them.
    """
    require_role(user, Role.CITY)
    bundle = db.session.get(Bundle, bundle_id)
    if bundle is None:
        raise NotFound(f"There is no bundle {bundle_id}.")
    if bundle.city_id != user.city_id:
        raise PermissionDenied("This bundle belongs to another city; you can review only yours.")
    if bundle.status is not BundleStatus.SENT:
        raise PermissionDenied(
            f"This bundle is not awaiting your review (its status is "
            f"{bundle.status.value.replace('_', ' ')}); staff send it when it is ready."
        )
    try:
        choice = Decision(decision)
    except ValueError:
        raise InvalidInput(
            "Choose approve, reject or ask for changes before sending your review."
        ) from None
    comment = (comment or "").strip()
    if choice in COMMENT_REQUIRED and not comment:
        raise InvalidInput("Say why in the comment: it is required to reject or ask for changes.")
    check_version(bundle, submitted_version, "bundle")
    review = Review(
        city_id=bundle.city_id,
        bundle_id=bundle.id,
        user_id=user.id,
        decision=choice,
        comment=comment,
    )
    db.session.add(review)
    db.session.flush()  # the review's id, for the votes
    record_votes(review, votes or {}, user)
    bundle.status = _STATUS_AFTER[choice]
    if choice is Decision.APPROVED:
        chosen = [item.project for item in bundle.items if item.selected]
        promote(chosen, Stage.BUNDLED, user_id=user.id, why=f"bundle {bundle.id} approved")
    record(
        "review",
        "bundle",
        bundle.id,
        {"decision": choice.value, "comment": comment, "votes": len(votes or {})},
        user_id=user.id,
    )
    commit_versioned("bundle")
    return review


def _entries(query) -> list[ReviewEntry]:
    rows = db.session.execute(
        query.add_columns(Bundle.name, Bundle.status, User.email)
        .outerjoin(Bundle, Bundle.id == Review.bundle_id)
        .outerjoin(User, User.id == Review.user_id)
    ).all()
    return [
        ReviewEntry(
            id=review.id,
            bundle_id=review.bundle_id,
            bundle_name=name or "",
            bundle_status=getattr(status, "value", str(status or "")),
            decision=review.decision.value,
            comment=review.comment,
            reviewer=email or "a removed account",
            created_at=review.created_at,
        )
        for review, name, status, email in rows
    ]


def bundle_reviews(bundle_id: int) -> list[ReviewEntry]:
    """Every review of one bundle, newest first (the caller checked visibility)."""
    return _entries(
        select(Review)
        .where(Review.bundle_id == bundle_id)
        .order_by(Review.created_at.desc(), Review.id.desc())
    )


def latest_reviews(bundle_ids: list[int]) -> dict[int, ReviewEntry]:
    """The newest review of each bundle (one query)."""
    if not bundle_ids:
        return {}
    latest: dict[int, ReviewEntry] = {}
    for entry in _entries(
        select(Review)
        .where(Review.bundle_id.in_(bundle_ids))
        .order_by(Review.created_at, Review.id)
    ):
        latest[entry.bundle_id] = entry
    return latest


def review_history(user: User, *, limit: int = 50) -> list[ReviewEntry]:
    """Reviews a user may read: a city its own city's, staff everyone's (newest first)."""
    require_role(user, Role.STAFF, Role.CITY)
    query = select(Review).where(Review.bundle_id.is_not(None))
    if user.role is Role.CITY:
        query = query.where(Review.city_id == user.city_id)
    return _entries(query.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit))
