"""The city committee's review of a bundle sent to it, kept as Review records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, Bundle, Review
from tests.app.bundles.bundle_world import (
    START,
    build_world,
    form_on,
    new_bundle,
    optimise,
    save_edit,
    signed_in,
    year_index,
)
from tests.app.conftest import csrf_token


@pytest.fixture
def sent(app):
    """An optimised Karmoy bundle that staff have sent to the city."""
    world = build_world(app)
    staff = signed_in(app, "staff@example.org")
    bundle_id = new_bundle(staff, world["city_a"])

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = "10000000"

    save_edit(staff, bundle_id, fill)
    optimise(staff, bundle_id)
    fields = form_on(staff.get(f"/bundles/{bundle_id}"), "send")
    assert staff.post(f"/bundles/{bundle_id}/send", data=fields).status_code == 302
    return {"world": world, "staff": staff, "bundle": bundle_id}


def status_of(app, bundle_id: int) -> str:
    with app.app_context():
        return db.session.get(Bundle, bundle_id).status.value


def review(client, bundle_id: int, decision: str, comment: str = ""):
    fields = form_on(client.get(f"/bundles/{bundle_id}"), "review")
    fields.update(decision=decision, comment=comment)
    return client.post(f"/bundles/{bundle_id}/review", data=fields)


def post_review(client, bundle_id: int, decision: str, *, version: str, comment: str = ""):
    """Post a review straight away, as a crafted request would (no form on the page)."""
    token = csrf_token(client.get("/bundles"))
    data = {"csrf_token": token, "version": version, "decision": decision, "comment": comment}
    return client.post(f"/bundles/{bundle_id}/review", data=data)


def test_sending_needs_an_optimised_bundle_and_is_audited(app, sent):
    staff = sent["staff"]
    assert status_of(app, sent["bundle"]) == "sent"
    with app.app_context():
        actions = list(
            db.session.scalars(select(AuditLog.action).where(AuditLog.entity == "bundle"))
        )
    assert "send" in actions and "optimise" in actions
    fresh = new_bundle(staff, sent["world"]["city_a"], name="Not optimised")
    fields = form_on(staff.get(f"/bundles/{fresh}"), "optimise")
    answer = staff.post(f"/bundles/{fresh}/send", data=fields)
    assert answer.status_code == 400 and "Optimise the bundle first" in answer.text


def test_reject_and_changes_need_a_comment(app, sent):
    city = signed_in(app, "city@example.org")
    for decision in ("rejected", "changes_requested"):
        answer = review(city, sent["bundle"], decision, "  ")
        assert answer.status_code == 400 and "comment is required" in answer.text
    assert status_of(app, sent["bundle"]) == "sent"
    with app.app_context():
        assert db.session.scalar(select(Review)) is None


def test_city_decision_sets_the_status_and_staff_see_it(app, sent):
    city = signed_in(app, "city@example.org")
    answer = review(city, sent["bundle"], "changes_requested", "Add the buses, drop the chargers.")
    assert answer.status_code == 302
    assert status_of(app, sent["bundle"]) == "changes_requested"
    with app.app_context():
        row = db.session.scalar(select(Review))
        assert (row.bundle_id, row.city_id, row.decision.value) == (
            sent["bundle"],
            sent["world"]["city_a"],
            "changes_requested",
        )
        assert row.user_id is not None
    staff = sent["staff"]
    for page in (staff.get(f"/bundles/{sent['bundle']}"), staff.get("/bundles")):
        assert "Add the buses, drop the chargers." in page.text
        assert "city@example.org" in page.text
    assert "Add the buses" in city.get("/bundles").text  # the city's own history
    # decided: no second review until staff revise and send again
    assert "Send review" not in city.get(f"/bundles/{sent['bundle']}").text
    answer = post_review(city, sent["bundle"], "approved", version="2")
    assert answer.status_code == 403 and "not awaiting your review" in answer.text


def test_revise_resend_and_approve(app, sent):
    city = signed_in(app, "city@example.org")
    review(city, sent["bundle"], "rejected", "Too expensive in 2027.")
    staff = sent["staff"]
    fields = form_on(staff.get(f"/bundles/{sent['bundle']}"), "revise")
    assert staff.post(f"/bundles/{sent['bundle']}/revise", data=fields).status_code == 302
    assert status_of(app, sent["bundle"]) == "draft"
    listing = city.get("/bundles")
    assert "Too expensive in 2027." in listing.text and "being revised by staff" in listing.text
    assert city.get(f"/bundles/{sent['bundle']}").status_code == 403
    optimise(staff, sent["bundle"])
    fields = form_on(staff.get(f"/bundles/{sent['bundle']}"), "send")
    assert staff.post(f"/bundles/{sent['bundle']}/send", data=fields).status_code == 302
    assert review(city, sent["bundle"], "approved").status_code == 302
    assert status_of(app, sent["bundle"]) == "approved"
    page = staff.get(f"/bundles/{sent['bundle']}")
    assert "Too expensive in 2027." in page.text and "approved" in page.text


def test_only_the_bundles_own_city_may_review(app, sent):
    asker = signed_in(app, "asker@example.org")
    assert asker.get(f"/bundles/{sent['bundle']}").status_code == 403
    for client in (asker, sent["staff"]):
        answer = post_review(client, sent["bundle"], "approved", version="2")
        assert answer.status_code == 403
    assert status_of(app, sent["bundle"]) == "sent"


def test_a_stale_review_is_a_conflict(app, sent):
    city = signed_in(app, "city@example.org")
    fields = form_on(city.get(f"/bundles/{sent['bundle']}"), "review")
    fields.update(decision="approved", version="0")
    answer = city.post(f"/bundles/{sent['bundle']}/review", data=fields)
    assert answer.status_code == 409
    assert status_of(app, sent["bundle"]) == "sent"
