"""Per-member committee accounts: a member signed in votes as themselves on a bundle
decision and never for another member; the other members add their own votes to the
decision; staff record the votes of members without an account; members are edited
with their organisation and stakeholder group, checked and audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, CommitteeMember, CommitteeVote, Review, User
from tests.app.bundles.bundle_world import form_on, signed_in
from tests.app.bundles.test_reviews import sent  # noqa: F401  (the fixture)
from tests.app.conftest import csrf_token
from tests.app.engagements.test_committee import add_member

__all__ = ["sent"]
NEW = "a long member password"


def member_account(app, staff, email: str, city_id: int, member_id: int):
    """Invite a city account bound to one member (as staff do on /admin/users) and set
    its password through the link; a client signed in as the member."""
    page = staff.get("/admin/users/invite")
    data = {"email": email, "name": "", "role": "city", "city": str(city_id),
            "member": str(member_id), "partner": "", "expert": ""}  # fmt: skip
    shown = staff.post("/admin/users/invite", data=data | {"csrf_token": csrf_token(page)})
    assert shown.status_code == 201, shown.text
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', shown.text)
    path = link.group(1).replace("http://localhost", "")
    client = app.test_client()
    token = csrf_token(client.get(path))
    answer = client.post(path, data={"new": NEW, "repeat": NEW, "csrf_token": token})
    assert answer.status_code == 302, answer.text
    return client


def cast(client, review_id: int, bundle_id: int, **fields):
    token = csrf_token(client.get(f"/bundles/{bundle_id}"))
    data = {"vote": "approved", "comment": ""} | fields
    return client.post(f"/reviews/{review_id}/votes", data=data | {"csrf_token": token})


def test_members_vote_as_themselves_and_staff_for_members_without_accounts(app, sent):  # noqa: F811
    staff, city_id, bundle_id = sent["staff"], sent["world"]["city_a"], sent["bundle"]
    for name, org, group in (
        ("Kari Berg", "Karmoy municipality", "city_administration"),
        ("Per Lund", "Haugaland Bank", "finance"),
        ("Siri Vik", "Friends of the Earth Norway", "environment"),
    ):
        assert (
            add_member(staff, city_id, name=name, organisation=org, group=group).status_code == 302
        )
    with app.app_context():
        ids = dict(db.session.execute(select(CommitteeMember.name, CommitteeMember.id)).all())
    kari = member_account(app, staff, "kari@karmoy.example", city_id, ids["Kari Berg"])
    per = member_account(app, staff, "per@karmoy.example", city_id, ids["Per Lund"])
    with app.app_context():
        bound = db.session.scalar(select(User).where(User.email == "kari@karmoy.example"))
        assert bound.committee_member_id == ids["Kari Berg"] and bound.city_id == city_id

    page = kari.get(f"/bundles/{bundle_id}")
    assert "Your vote as a member of the committee" in page.text
    assert "Vote of Kari Berg" in page.text and "Vote of Per Lund" not in page.text
    fields = form_on(page, "review")
    fields.update({"decision": "approved", "comment": "", f"vote-{ids['Per Lund']}": "rejected"})
    assert kari.post(f"/bundles/{bundle_id}/review", data=fields).status_code == 403
    del fields[f"vote-{ids['Per Lund']}"]
    response = kari.post(f"/bundles/{bundle_id}/review", data=fields)
    assert response.status_code == 302, response.text
    with app.app_context():
        review_id = db.session.scalar(select(Review.id))
        votes = {v.member.name: v.vote.value for v in db.session.scalars(select(CommitteeVote))}
        assert votes == {"Kari Berg": "approved"}  # her decision is her vote

    page = per.get(f"/bundles/{bundle_id}")
    assert "Your vote on this decision (Per Lund)" in page.text
    answer = cast(per, review_id, bundle_id, vote="rejected", member_id=str(ids["Siri Vik"]),
                  comment="Too costly.")  # fmt: skip
    assert answer.status_code == 302
    again = cast(per, review_id, bundle_id)
    assert "Per Lund has voted on this decision already" in per.get(again.location).text
    assert cast(staff, review_id, bundle_id, member_id=str(ids["Kari Berg"])).status_code == 403
    city = signed_in(app, "city@example.org")  # the city's account of no member
    assert cast(city, review_id, bundle_id, member_id=str(ids["Per Lund"])).status_code == 403
    assert cast(staff, review_id, bundle_id, member_id=str(ids["Siri Vik"]),
                vote="abstained").status_code == 302  # fmt: skip
    with app.app_context():
        votes = {
            v.member.name: (v.vote.value, v.comment)
            for v in db.session.scalars(select(CommitteeVote))
        }
        assert votes == {
            "Kari Berg": ("approved", ""),
            "Per Lund": ("rejected", "Too costly."),
            "Siri Vik": ("abstained", ""),
        }
        cast_votes = db.session.scalars(select(AuditLog).where(AuditLog.action == "vote")).all()
        assert [a.changes["by_member"] for a in cast_votes] == [True, False]
    table = staff.get(f"/bundles/{bundle_id}").text.split("their votes</caption>")[1]
    assert "Too costly." in table and "Finance sector" in table


def test_staff_edit_a_member_checked_and_audited(app, sent):  # noqa: F811
    staff, city_id = sent["staff"], sent["world"]["city_a"]
    add_member(staff, city_id, name="Kari Berg", organisation="Karmoy", group="citizens")
    with app.app_context():
        member_id = db.session.scalar(select(CommitteeMember.id))
    url = f"/cities/{city_id}/committee/{member_id}"
    token = csrf_token(staff.get(url))
    bad = {"name": "Kari Berg", "organisation": " ", "group": "citizens", "csrf_token": token}
    response = staff.post(url, data=bad)
    assert response.status_code == 400 and "Give the organisation" in response.text
    response = staff.post(url, data=bad | {"organisation": "Karmoy", "group": "aliens"})
    assert response.status_code == 400 and "Choose the member" in response.text
    good = bad | {"organisation": "Haugaland Bank", "group": "finance"}
    assert staff.post(url, data=good).status_code == 302
    with app.app_context():
        member = db.session.get(CommitteeMember, member_id)
        assert (member.organisation, member.group.value) == ("Haugaland Bank", "finance")
        audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "edit_member")).one()
        assert audit.changes["organisation"] == {"from": "Karmoy", "to": "Haugaland Bank"}
    assert signed_in(app, "city@example.org").get(url).status_code == 403
