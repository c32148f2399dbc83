"""The programme's procedure: engagements (a city's request and its stages), and the
people and events around them."""

from app.models.programme.engagement import (
    Engagement,
    EngagementStage,
    EngagementStep,
    Requester,
)
from app.models.programme.experts import Expert, TeamMember

__all__ = [
    "Engagement",
    "EngagementStage",
    "EngagementStep",
    "Expert",
    "Requester",
    "TeamMember",
]
