"""The illustrative procedure of the demo set: Karmøy's Organizing Committee (fictional
members; city@example.org is the first one's account) and an engagement of Karmøy whose
team holds the demo expert (expert@example.org), at "mission held" with one mission."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.models import (
    City,
    CommitteeMember,
    Engagement,
    EngagementStage,
    EngagementStep,
    Expert,
    Mission,
    Requester,
    StakeholderGroup,
    TeamMember,
)
from app.seeding.upsert import Upserter

DEMO_CITY = "karmoy-no"
DEMO_EXPERT = "ingrid-solheim"
REQUESTER = "Office of the Mayor of Karmøy (illustrative)"
MEMBERS = (  # name, organisation, group: fictional people
    ("Kari Berg (demo)", "Karmøy municipality (demo)", StakeholderGroup.CITY_ADMINISTRATION),
    ("Per Lund (demo)", "Haugaland savings bank (demo)", StakeholderGroup.FINANCE),
    ("Siri Vik (demo)", "Karmøy nature association (demo)", StakeholderGroup.ENVIRONMENT),
)
STAGES = (  # stage, began, completed
    (EngagementStage.REQUESTED, date(2026, 1, 12), date(2026, 1, 30)),
    (EngagementStage.ACCEPTED, date(2026, 1, 30), date(2026, 3, 2)),
    (EngagementStage.TEAM_FORMED, date(2026, 3, 2), date(2026, 4, 20)),
    (EngagementStage.MISSION_HELD, date(2026, 4, 20), None),
)


def load_demo_programme(up: Upserter, experts: dict[str, Expert]):
    """Karmøy's committee and its engagement; the member city@example.org stands for."""
    city = up.session.scalar(select(City).where(City.slug == DEMO_CITY))  # a reference city
    expert = experts.get(DEMO_EXPERT)
    if city is None:
        return None
    members = [
        up.upsert(
            CommitteeMember,
            {"city_id": city.id, "name": name},
            {"organisation": organisation, "group": group, "active": True},
        )
        for name, organisation, group in MEMBERS
    ]
    engagement = up.upsert(
        Engagement,
        {"city_id": city.id, "requester_name": REQUESTER},
        {
            "requester": Requester.CITY,
            "requested_on": STAGES[0][1],
            "stage": STAGES[-1][0],
            "notes": "Illustrative engagement of the demo set.",
        },
    )
    up.session.flush()
    for stage, began, completed in STAGES:
        up.upsert(
            EngagementStep,
            {"engagement_id": engagement.id, "stage": stage},
            {
                "started_on": began,
                "completed_on": completed,
                "due_on": None,
                "owner": "Programme officer (demo)",
                "checklist": {},
            },
        )
    if expert is not None:
        up.upsert(
            TeamMember,
            {"engagement_id": engagement.id, "expert_id": expert.id},
            {"days": expert.days_per_engagement, "year": 2026,
             "reasons": ["covers Renewable Energy (illustrative demo team)"]},
        )  # fmt: skip
    up.upsert(
        Mission,
        {"engagement_id": engagement.id, "starts_on": date(2026, 4, 14)},
        {"ends_on": date(2026, 4, 16), "participants": "Ingrid Solheim (demo)\nKari Berg (demo)"},
    )
    up.session.flush()
    return members[0]
