"""Fixtures of action plans and reviews: Karmoy's bundle approved by its committee, an
engagement of Karmoy filed by staff, and clients signed in as each role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import Bundle, Engagement
from tests.app.bundles.bundle_world import form_on, signed_in
from tests.app.bundles.test_reviews import sent  # noqa: F401  (the fixture)
from tests.app.engagements.conftest import post, request_form

__all__ = ["sent"]


@pytest.fixture
def approved(app, sent):  # noqa: F811
    """Karmoy's bundle approved, and Karmoy's engagement (requested 2026-01-15)."""
    city = signed_in(app, "city@example.org")
    bundle_id = sent["bundle"]
    fields = form_on(city.get(f"/bundles/{bundle_id}"), "review")
    fields.update(decision="approved", comment="")
    assert city.post(f"/bundles/{bundle_id}/review", data=fields).status_code == 302
    staff = sent["staff"]
    response = post(staff, "/engagements/new", request_form(sent["world"]["city_a"]))
    assert response.status_code == 302, response.text
    with app.app_context():
        engagement_id = db.session.scalar(select(Engagement.id))
        selected = [i.project_id for i in db.session.get(Bundle, bundle_id).items if i.selected]
    return {
        **sent,
        "city": city,
        "engagement": engagement_id,
        "selected": selected,
    }


def plan_url(engagement_id: int) -> str:
    return f"/engagements/{engagement_id}/plan"


def build(client, engagement_id: int):
    return post(client, f"{plan_url(engagement_id)}/build", {}, page=plan_url(engagement_id))


def milestone(client, engagement_id: int, **fields):
    from tests.app.engagements.conftest import version_on

    page = client.get(plan_url(engagement_id))
    data = {"version": version_on(page.text), "status": "planned", "done_on": ""}
    data.update(fields)
    return post(client, f"{plan_url(engagement_id)}/milestones", data, page=plan_url(engagement_id))
