"""Consortia for a whole package: a partner proposes its own, staff see who could deliver.

A partner picks other approved partners; the consortium is judged against the package
as one opportunity (:func:`app.packages.offers.package_profile`) by
:func:`matching.consortia.assess_consortium`: each member's fit and reasons, its role
by its kind, members below :data:`matching.consortia.WEAK_FIT`, roles left empty or
filled twice. A partner's reach over the group is the member cities in the countries
or regions it works in (a partner that names none is counted as working anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import InvalidInput
from app.models import City, User
from app.partners import matchmaking as mm
from matching.consortia import WEAK_FIT, Assessment, assess_consortium
from matching.errors import InvalidProfileError
from matching.profiles import PartnerProfile, ProjectProfile

__all__ = [
    "CANDIDATES_SHOWN",
    "MAX_MEMBERS",
    "Proposal",
    "candidates",
    "checked_members",
    "cities_served",
    "propose",
]

CANDIDATES_SHOWN = 30
MAX_MEMBERS = 5
ROLE_NAMES = {"local": "Local company", "finance": "Investor or bank", "technology": "Technology"}


@dataclass(frozen=True)
class Proposal:
    """A consortium a partner proposes for a package, judged, with names for the page."""

    member_ids: list[int]  # the other members (the proposer is always in)
    assessment: Assessment
    names: dict[str, str]
    warnings: list[str]
    weak_fit: float = WEAK_FIT

    def rows(self) -> list[dict]:
        return [
            {"role": ROLE_NAMES[m.role], "name": self.names[m.partner], "score": m.score,
             "confidence": m.confidence, "reasons": m.reasons, "weak": m.weak}
            for m in self.assessment.consortium.members
        ]  # fmt: skip


def cities_served(partner: PartnerProfile, members: list[City]) -> int:
    """How many of the member cities lie where the partner works."""
    if not partner.countries and not partner.regions:
        return len(members)
    return sum(
        1
        for city in members
        if city.country
        and (city.country.iso2 in partner.countries or city.country.wb_region in partner.regions)
    )


def candidates(user: User, project: ProjectProfile) -> list[tuple[int, str]]:
    """The other approved partners a partner may pick, best fit to the package first."""
    partners = mm.partner_profiles()
    own = str(user.partner_id)
    ranked = sorted(
        (p for p in partners.profiles if p.id != own),
        key=lambda p: (-mm.explain(project, p).score, partners.names[int(p.id)]),
    )
    return [
        (int(p.id), f"{partners.names[int(p.id)]} ({p.kind})") for p in ranked[:CANDIDATES_SHOWN]
    ]


def checked_members(user: User, member_ids: list[int]) -> list[int]:
    """The other members, checked: approved partners, not the proposer, at most five."""
    ids = sorted(set(member_ids) - {user.partner_id})
    if len(ids) > MAX_MEMBERS:
        raise InvalidInput(f"Pick at most {MAX_MEMBERS} other partners for one consortium.")
    found = {int(p.id) for p in mm.partner_profiles(ids).profiles}
    if set(ids) - found:
        raise InvalidInput("Pick approved partners of the list only.")
    return ids


def propose(user: User, project: ProjectProfile, member_ids: list[int]) -> Proposal:
    """The consortium of the partner and ``member_ids`` judged against the package."""
    ids = checked_members(user, member_ids)
    if not ids:
        raise InvalidInput("Pick at least one other partner to propose a consortium.")
    partners = mm.partner_profiles([user.partner_id, *ids])
    try:
        assessment = assess_consortium(project, partners.profiles, fx=mm.fx_rates())
    except InvalidProfileError as error:
        raise InvalidInput(str(error)) from None
    names = {str(pid): name for pid, name in partners.names.items()}
    return Proposal(ids, assessment, names, assessment.warnings(names))
