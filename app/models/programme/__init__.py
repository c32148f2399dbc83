"""The programme's procedure: engagements (a city's request and its stages), and the
people and events around them."""

from app.models.programme.engagement import (
    Engagement,
    EngagementStage,
    EngagementStep,
    Requester,
)

__all__ = ["Engagement", "EngagementStage", "EngagementStep", "Requester"]
