"""Staff: matching every published project at once, under partner capacities."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Match, Partner, Project, Stage
from tests.app.partners.test_matches_world import post_form, world_fixture  # noqa: F401  (fixture "world")


def test_match_all_assigns_under_capacity_and_saves(app, client, login, world):
    with app.app_context():
        db.session.execute(sa.update(Partner).values(capacity=1))
        db.session.commit()
    login("staff@example.org")
    response = post_form(client, "/opportunities/admin", "/opportunities/admin", {"per_project": 2})
    assert response.status_code == 200
    assert "matches saved" in response.text
    with app.app_context():
        rows = db.session.scalars(sa.select(Match).where(Match.role == "partner")).all()
        per_partner = {}
        for m in rows:
            per_partner[m.partner_id] = per_partner.get(m.partner_id, 0) + 1
        assert rows and max(per_partner.values()) == 1  # capacities hold
        assert all(m.reasons for m in rows)
        matched = {m.project_id for m in rows}
        assert world["draft"] not in matched  # unpublished projects are never matched
        stages = dict(db.session.execute(sa.select(Project.id, Project.stage)).all())
    assert all(stages[p] is Stage.MATCHED for p in matched)
    assert stages[world["draft"]] is Stage.APPRAISED


def test_match_all_is_for_staff_only(client, login, world):
    login("lumen@example.org")
    assert client.get("/opportunities/admin").status_code == 403


def test_match_all_refuses_a_bad_number(client, login, world):
    login("staff@example.org")
    response = post_form(
        client, "/opportunities/admin", "/opportunities/admin", {"per_project": 40}
    )
    assert response.status_code == 400 and "from 1 to 10" in response.text
