"""The demo procedure: Karmøy's illustrative committee with city@example.org as its first
member's account, and an engagement whose team holds the demo expert, whose account
expert@example.org sees it and no other; loaded once."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import CommitteeMember, Engagement, Role, TeamMember, User
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


def test_demo_committee_engagement_and_expert_account(app, client, login):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        city = db.session.scalar(select(User).where(User.email == "city@example.org"))
        assert city.committee_member is not None
        assert city.committee_member.city_id == city.city_id
        assert db.session.scalar(select(CommitteeMember.name).order_by(CommitteeMember.id)) == (
            "Kari Berg (demo)"
        )
        expert = db.session.scalar(select(User).where(User.email == "expert@example.org"))
        assert expert.role is Role.EXPERT and expert.expert.slug == "ingrid-solheim"
        engagement = db.session.scalars(select(Engagement)).one()
        seats = db.session.scalars(select(TeamMember.expert_id)).all()
        assert seats == [expert.expert_id] and engagement.stage.value == "mission_held"
        assert seed_database(demo=True, demo_password=PASSWORD).changed == 0
        engagement_id = engagement.id
    assert login("expert@example.org").status_code == 302
    assert client.get(f"/engagements/{engagement_id}").status_code == 200
    assert "Karmøy" in client.get("/").text
