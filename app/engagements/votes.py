"""Committee votes cast per member: a member with their own account (a city account bound
to their member row) votes as themselves, never for another member; staff, and a
city account of no member, record the votes of members who have no account.

A vote belongs to a bundle decision (a Review): the member who decides records their
own vote with it, and the other members add theirs to that decision afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.core.audit import record
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.permissions import require_role
from app.models import CommitteeMember, CommitteeVote, Review, Role, User, Vote

__all__ = ["VoteContext", "add_vote", "member_accounts", "vote_context", "voters_for"]


def member_accounts(city_id: int) -> dict[int, str]:
    """Member id -> e-mail of the members of a city who have their own account."""
    rows = db.session.execute(
        select(User.committee_member_id, User.email)
        .join(CommitteeMember, CommitteeMember.id == User.committee_member_id)
        .where(CommitteeMember.city_id == city_id)
    )
    return {int(member_id): email for member_id, email in rows}


def voters_for(user: User, members: list[CommitteeMember]) -> list[CommitteeMember]:
    """The members whose votes ``user`` may record: their own member (a member's
    account), else the members without an account (staff, a city account of no member)."""
    if user.committee_member_id is not None:
        return [m for m in members if m.id == user.committee_member_id]
    accounts = member_accounts(members[0].city_id) if members else {}
    return [m for m in members if m.id not in accounts]


def check_voters(user: User, members: Mapping[int, CommitteeMember], votes: Mapping) -> None:
    """Refuse votes ``user`` may not give (another member's, or a member's with an account)."""
    allowed = {m.id for m in voters_for(user, list(members.values()))}
    stray = sorted(set(votes) - allowed)
    if not stray:
        return
    if user.committee_member_id is not None:
        me = members.get(user.committee_member_id)
        name = me.name if me else "your member"
        raise PermissionDenied(
            f"You vote as yourself ({name}): the other members cast their own votes, signed "
            "in as themselves, or staff record them for members without an account."
        )
    names = ", ".join(members[i].name for i in stray if i in members) or "these members"
    raise PermissionDenied(
        f"{names} cast their own votes, signed in with their own accounts: leave them empty."
    )


@dataclass(frozen=True)
class VoteContext:
    me: CommitteeMember | None  # the signed-in member
    accounts: dict[int, str]  # member id -> e-mail of their account


def vote_context(user: User, city_id: int) -> VoteContext:
    mine = user.committee_member_id
    me = db.session.get(CommitteeMember, mine) if mine else None
    return VoteContext(me=me, accounts=member_accounts(city_id))


def add_vote(user: User, review_id: int, member_id: int | None, vote: str, comment: str):
    """Add one member's vote to a bundle decision: a member's own (signed in as them), or
    one of a member without an account (staff or a city account of no member)."""
    require_role(user, Role.STAFF, Role.CITY)
    review = db.session.get(Review, review_id)
    if review is None or review.bundle_id is None:
        raise NotFound(f"There is no bundle decision {review_id}.")
    if user.role is Role.CITY and user.city_id != review.city_id:
        raise PermissionDenied("This decision is another city's; you vote on your own city's.")
    if user.committee_member_id is not None:
        member_id = user.committee_member_id
    member = db.session.get(CommitteeMember, member_id) if member_id else None
    if member is None or member.city_id != review.city_id or not member.active:
        raise InvalidInput("Choose a member of the city's committee.")
    check_voters(user, {member.id: member}, {member.id: vote})
    try:
        choice = Vote(vote)
    except ValueError:
        raise InvalidInput("Choose approve, ask for changes, reject or abstain.") from None
    earlier = db.session.scalar(
        select(CommitteeVote).where(
            CommitteeVote.review_id == review.id, CommitteeVote.member_id == member.id
        )
    )
    if earlier is not None:
        raise InvalidInput(f"{member.name} has voted on this decision already.")
    cast = CommitteeVote(review_id=review.id, member_id=member.id, vote=choice)
    cast.comment = comment.strip()
    db.session.add(cast)
    record("vote", "review", review.id, {"member_id": member.id, "vote": choice.value,
           "by_member": user.committee_member_id == member.id}, user_id=user.id)  # fmt: skip
    db.session.commit()
    return review
