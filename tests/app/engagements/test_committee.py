"""The City Organizing Committee: members with organisation and stakeholder group, and
a bundle decision recording who took part with their votes and comments."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, Bundle, CommitteeMember, CommitteeVote, Review
from tests.app.bundles.bundle_world import form_on, signed_in
from tests.app.bundles.test_reviews import sent  # noqa: F401  (the fixture)
from tests.app.engagements.conftest import post

__all__ = ["sent"]


def add_member(client, city_id, **fields):
    url = f"/cities/{city_id}/committee"
    return post(client, url, fields, page=url)


def test_staff_add_members_and_the_city_reads_its_committee(app, sent):  # noqa: F811
    staff, city_id = sent["staff"], sent["world"]["city_a"]
    response = add_member(
        staff,
        city_id,
        name="Kari Berg",
        organisation="Karmøy municipality",
        group="city_administration",
    )
    assert response.status_code == 302
    for fields, message in (
        ({"name": "", "organisation": "Bank", "group": "finance"}, "Give the member&#39;s name"),
        ({"name": "Ola", "organisation": "", "group": "finance"}, "Give the organisation"),
        ({"name": "Ola", "organisation": "Bank", "group": "banks"}, "Choose the member"),
    ):
        response = add_member(staff, city_id, **fields)
        assert response.status_code == 400 and message in response.text
    with app.app_context():
        assert db.session.scalars(select(CommitteeMember.name)).all() == ["Kari Berg"]
    city = signed_in(app, "city@example.org")
    page = city.get(f"/cities/{city_id}/committee")
    assert (
        page.status_code == 200 and "Kari Berg" in page.text and "City administration" in page.text
    )
    assert "Add the member" not in page.text
    assert city.get(f"/cities/{sent['world']['city_b']}/committee").status_code == 403
    assert (
        signed_in(app, "partner@example.org").get(f"/cities/{city_id}/committee").status_code == 403
    )


def test_a_bundle_decision_records_who_took_part_and_their_votes(app, sent):  # noqa: F811
    staff, city_id, bundle_id = sent["staff"], sent["world"]["city_a"], sent["bundle"]
    for name, org, group in (
        ("Kari Berg", "Karmøy municipality", "city_administration"),
        ("Per Lund", "Haugaland Bank", "finance"),
        ("Siri Vik", "Friends of the Earth Norway", "environment"),
    ):
        assert (
            add_member(staff, city_id, name=name, organisation=org, group=group).status_code == 302
        )
    with app.app_context():
        ids = dict(db.session.execute(select(CommitteeMember.name, CommitteeMember.id)).all())
    city = signed_in(app, "city@example.org")
    page = city.get(f"/bundles/{bundle_id}")
    assert "Vote of Per Lund (Haugaland Bank, Finance sector)" in page.text

    fields = form_on(page, "review")
    fields.update(decision="approved", comment="")
    response = city.post(f"/bundles/{bundle_id}/review", data=fields)
    assert response.status_code == 400
    assert "Record who of the committee took part" in response.text
    fields[f"vote-{ids['Per Lund']}"] = "maybe"
    response = city.post(f"/bundles/{bundle_id}/review", data=fields)
    assert response.status_code == 400 and "The vote of Per Lund could not be read" in response.text
    with app.app_context():
        assert db.session.scalar(select(Review.id)) is None
        assert db.session.get(Bundle, bundle_id).status.value == "sent"

    fields.update(
        {
            f"vote-{ids['Kari Berg']}": "approved",
            f"vote-{ids['Per Lund']}": "approved",
            f"vote_comment-{ids['Per Lund']}": "Financeable with an EPC.",
            f"vote-{ids['Siri Vik']}": "abstained",
            f"vote_comment-{ids['Siri Vik']}": "No view on lighting.",
        }
    )
    response = city.post(f"/bundles/{bundle_id}/review", data=fields)
    assert response.status_code == 302, response.text
    with app.app_context():
        votes = {
            v.member.name: (v.vote.value, v.comment)
            for v in db.session.scalars(select(CommitteeVote))
        }
        assert votes == {
            "Kari Berg": ("approved", ""),
            "Per Lund": ("approved", "Financeable with an EPC."),
            "Siri Vik": ("abstained", "No view on lighting."),
        }
        audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "review")).one()
        assert audit.changes["votes"] == 3
    page = staff.get(f"/bundles/{bundle_id}")
    table = page.text.split("Who of the committee took part, and their votes</caption>")[1]
    assert "Financeable with an EPC." in table and "Environmental groups" in table
    assert "abstain" in table
