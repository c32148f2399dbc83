"""The stages of an engagement: their order, labels, what each stage's checklist needs
before the engagement may leave it, and how long each stage is given by default.

The procedure is the programme's own ("Formal request of relevant city or national
government to UNECE. Establishment of international/local experts' team ... missions
... Distribution of the city PROFILE publication ... Follow-up of city action plans
and annual reviews of their implementation"); the durations are the platform's
planning defaults, which staff change per engagement (the due date of each stage).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import EngagementStage

ORDER: tuple[EngagementStage, ...] = tuple(EngagementStage)

LABELS = {
    EngagementStage.REQUESTED: "Requested",
    EngagementStage.ACCEPTED: "Accepted",
    EngagementStage.TEAM_FORMED: "Team formed",
    EngagementStage.MISSION_HELD: "Mission held",
    EngagementStage.PROFILE_PUBLISHED: "PROFILE published",
    EngagementStage.ACTION_PLAN_AGREED: "Action plan agreed",
    EngagementStage.IN_ANNUAL_REVIEW: "In annual review",
    EngagementStage.CLOSED: "Closed",
}


@dataclass(frozen=True)
class Item:
    """A checklist item; ``from_data`` items are not ticked by hand but hold when the
    platform has what they ask for (:mod:`app.engagements.checks`)."""

    key: str
    text: str
    from_data: bool = False


CHECKLISTS: dict[EngagementStage, tuple[Item, ...]] = {
    EngagementStage.REQUESTED: (
        Item("letter", "The formal request letter is on file (link or note under documents)"),
        Item("contact", "The requester's contact person is named"),
    ),
    EngagementStage.ACCEPTED: (
        Item("reply", "The programme's acceptance reply is sent to the requester"),
        Item("focal_point", "The city has named its focal point"),
        Item("coc", "The City Organizing Committee is set up"),
    ),
    EngagementStage.TEAM_FORMED: (
        Item("terms", "The team's terms of reference are agreed"),
        Item("mission", "The mission to the city is held"),
    ),
    EngagementStage.MISSION_HELD: (
        Item("report", "The mission report is filed"),
        Item("kpi_data", "The KPI values collected on the mission are entered or imported"),
    ),
    EngagementStage.PROFILE_PUBLISHED: (
        Item(
            "publication",
            "The city PROFILE publication is issued (its PDF is kept on this page)",
            from_data=True,
        ),
        Item("distributed", "The publication is distributed to the city and its partners"),
    ),
    EngagementStage.ACTION_PLAN_AGREED: (
        Item("plan", "The action plan is agreed with the city", from_data=True),
        Item(
            "owners",
            "Every project of the plan has milestones, each with an owner and a due date",
            from_data=True,
        ),
    ),
    EngagementStage.IN_ANNUAL_REVIEW: (
        Item(
            "review",
            "The first annual review of the plan's implementation is saved",
            from_data=True,
        ),
        Item("progress", "The year's progress reports are in"),
    ),
    EngagementStage.CLOSED: (),
}

# Days a stage is given when it begins (its due date; staff may change it).
DEFAULT_DAYS = {
    EngagementStage.REQUESTED: 30,
    EngagementStage.ACCEPTED: 60,
    EngagementStage.TEAM_FORMED: 60,
    EngagementStage.MISSION_HELD: 90,
    EngagementStage.PROFILE_PUBLISHED: 120,
    EngagementStage.ACTION_PLAN_AGREED: 90,
    EngagementStage.IN_ANNUAL_REVIEW: 365,
    EngagementStage.CLOSED: None,
}


def label(stage: EngagementStage | str) -> str:
    return LABELS[EngagementStage(stage)]


def next_stage(stage: EngagementStage) -> EngagementStage | None:
    """The stage after ``stage``; None once closed."""
    index = ORDER.index(stage)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


# Leaving "accepted" for "team formed" also needs a confirmed expert team (the data, not
# a tick): see :func:`app.engagements.service.advance_engagement`.


def tickable(stage: EngagementStage) -> tuple[Item, ...]:
    """The items of ``stage`` that staff tick by hand."""
    return tuple(item for item in CHECKLISTS[stage] if not item.from_data)


def missing_items(stage: EngagementStage, ticked: dict) -> list[Item]:
    """The checklist items of ``stage`` not yet holding in ``ticked`` (the hand ticks
    together with the data items' states)."""
    return [item for item in CHECKLISTS[stage] if not ticked.get(item.key)]
