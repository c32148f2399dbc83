"""The programme's procedure: engagements (a city's request and its stages), and the
people and events around them."""

from app.models.programme.committee import CommitteeMember, CommitteeVote, StakeholderGroup, Vote
from app.models.programme.engagement import (
    Engagement,
    EngagementStage,
    EngagementStep,
    Requester,
)
from app.models.programme.experts import Expert, TeamMember
from app.models.programme.lessons import LessonCase
from app.models.programme.missions import KPI_DIMENSIONS, Mission, MissionFinding
from app.models.programme.plans import (
    ActionPlan,
    AnnualReview,
    Milestone,
    MilestoneStatus,
    ProfilePublication,
)

__all__ = [
    "ActionPlan",
    "AnnualReview",
    "Milestone",
    "MilestoneStatus",
    "ProfilePublication",
    "CommitteeMember",
    "CommitteeVote",
    "Engagement",
    "EngagementStage",
    "EngagementStep",
    "Expert",
    "KPI_DIMENSIONS",
    "LessonCase",
    "Mission",
    "MissionFinding",
    "Requester",
    "StakeholderGroup",
    "TeamMember",
    "Vote",
]
