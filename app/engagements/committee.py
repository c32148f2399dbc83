"""A city's Organizing Committee (COC): its members with organisation and stakeholder
group, and who took part in a bundle decision with their votes and comments.

Staff add and retire members; a city's account sees its own committee; partners none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.core.audit import record
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.extensions import db
from app.core.permissions import require_role, require_staff
from app.engagements.service import FieldError
from app.engagements.votes import check_voters, voters_for
from app.models import (
    City,
    CommitteeMember,
    CommitteeVote,
    Review,
    Role,
    StakeholderGroup,
    User,
    Vote,
)

__all__ = [
    "GROUP_LABELS",
    "MemberInput",
    "add_member",
    "committee_of",
    "edit_member",
    "members_of",
    "record_votes",
    "votes_by_review",
    "votes_from_form",
]

GROUP_LABELS = {
    StakeholderGroup.CITY_ADMINISTRATION: "City administration",
    StakeholderGroup.PRIVATE_SECTOR: "Private sector",
    StakeholderGroup.GOVERNMENT: "Government departments",
    StakeholderGroup.CITIZENS: "Citizens' groups",
    StakeholderGroup.ENVIRONMENT: "Environmental groups",
    StakeholderGroup.CONSUMERS: "Consumers",
    StakeholderGroup.FINANCE: "Finance sector",
}
VOTE_LABELS = {
    Vote.APPROVED: "approve",
    Vote.CHANGES_REQUESTED: "ask for changes",
    Vote.REJECTED: "reject",
    Vote.ABSTAINED: "abstain",
}


@dataclass(frozen=True)
class MemberInput:
    name: str
    organisation: str
    group: str


def committee_of(user: User, city_id: int) -> tuple[City, list[CommitteeMember]]:
    """The city and its active members, for staff or the city's own account."""
    require_role(user, Role.STAFF, Role.CITY)
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}.")
    if user.role is Role.CITY and user.city_id != city_id:
        raise PermissionDenied("This is another city's committee; you see your own only.")
    return city, members_of(city_id)


def members_of(city_id: int) -> list[CommitteeMember]:
    return list(
        db.session.scalars(
            select(CommitteeMember)
            .where(CommitteeMember.city_id == city_id, CommitteeMember.active.is_(True))
            .order_by(CommitteeMember.name)
        )
    )


def add_member(user: User, city_id: int, data: MemberInput) -> CommitteeMember:
    require_staff(user)
    committee_of(user, city_id)
    values = _member_values(data)
    name, group = values["name"], values["group"]
    member = CommitteeMember(city_id=city_id, **values)
    db.session.add(member)
    db.session.flush()
    record(
        "add_member",
        "committee",
        city_id,
        {"member_id": member.id, "name": name, "group": group.value},
        user_id=user.id,
    )
    db.session.commit()
    return member


def edit_member(user: User, member_id: int, data: MemberInput) -> CommitteeMember:
    """Change a member's name, organisation or stakeholder group (staff); audited."""
    require_staff(user)
    member = db.session.get(CommitteeMember, member_id)
    if member is None or not member.active:
        raise NotFound(f"There is no committee member {member_id}.")
    values = _member_values(data)
    changes = {
        name: {"from": str(getattr(member, name)), "to": str(value)}
        for name, value in values.items()
        if getattr(member, name) != value
    }
    for name, value in values.items():
        setattr(member, name, value)
    if changes:
        record("edit_member", "committee", member.city_id, {"member_id": member.id, **changes},
               user_id=user.id)  # fmt: skip
    db.session.commit()
    return member


def _member_values(data: MemberInput) -> dict:
    name, organisation = data.name.strip(), data.organisation.strip()
    if not name:
        raise FieldError("name", "Give the member's name.")
    if not organisation:
        raise FieldError("organisation", "Give the organisation the member speaks for.")
    try:
        group = StakeholderGroup(data.group)
    except ValueError:
        raise FieldError("group", "Choose the member's stakeholder group.") from None
    return {"name": name, "organisation": organisation, "group": group}


def votes_from_form(form: Mapping[str, str]) -> dict[int, tuple[str, str]]:
    """Member id -> (vote, comment) from ``vote-<id>`` and ``vote_comment-<id>`` fields;
    a member with no vote did not take part."""
    votes = {}
    for key, value in form.items():
        prefix, _, member = key.partition("-")
        if prefix == "vote" and member.isdigit() and (value or "").strip():
            comment = form.get(f"vote_comment-{member}", "") or ""
            votes[int(member)] = (value.strip(), comment.strip())
    return votes


def record_votes(
    review: Review, votes: Mapping[int, tuple[str, str]], voter: User | None = None
) -> None:
    """Add who took part in ``review`` and their votes (the caller's transaction commits).

    A member deciding with their own account (``voter``) records their own vote only
    (the decision itself when they give none); another account records the votes of
    members without an account, at least one when there are such members.
    """
    members = {m.id: m for m in members_of(review.city_id)}
    stray = sorted(set(votes) - set(members))
    if stray:
        raise InvalidInput(
            "Votes can be given only by the city's committee members; reload the page."
        )
    if voter is not None:
        check_voters(voter, members, votes)
        if voter.committee_member_id in members and not votes:
            votes = {voter.committee_member_id: (review.decision.value, "")}
    can_vote = voters_for(voter, list(members.values())) if voter else list(members.values())
    if can_vote and not votes:
        raise InvalidInput(
            "Record who of the committee took part: give at least one member's vote."
        )
    for member_id, (vote, comment) in sorted(votes.items()):
        try:
            choice = Vote(vote)
        except ValueError:
            raise InvalidInput(
                f"The vote of {members[member_id].name} could not be read: choose approve, "
                "ask for changes, reject or abstain."
            ) from None
        review_votes = CommitteeVote(member_id=member_id, vote=choice, comment=comment)
        review_votes.review_id = review.id
        db.session.add(review_votes)


def votes_by_review(review_ids: list[int]) -> dict[int, list[CommitteeVote]]:
    if not review_ids:
        return {}
    found: dict[int, list[CommitteeVote]] = {}
    for vote in db.session.scalars(
        select(CommitteeVote)
        .where(CommitteeVote.review_id.in_(review_ids))
        .order_by(CommitteeVote.id)
    ):
        found.setdefault(vote.review_id, []).append(vote)
    return found
