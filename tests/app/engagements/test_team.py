"""An engagement's expert team: proposed to cover the city's largest gaps and language
under availability, with reasons; confirmed by staff; required to reach "team formed"."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.engagements.stages import CHECKLISTS
from app.engagements.team import committed_days
from app.models import AuditLog, Engagement, EngagementStage, TeamMember
from tests.app.engagements.conftest import post, version_on
from tests.app.engagements.test_engagements import advance, save_step


def confirm(client, engagement_id, expert_ids, version=None):
    url = f"/engagements/{engagement_id}/team"
    page = client.get(url)
    data = {"version": version or version_on(page.text), "expert_ids": [str(i) for i in expert_ids]}
    return post(client, url, data, page=url)


def test_the_proposal_covers_gaps_and_language_with_reasons(client, filed, pool):
    page = client.get(f"/engagements/{filed}/team")
    assert page.status_code == 200
    proposed = page.text.split("Proposed experts")[1]
    assert "Ingrid Dahl" in proposed and "Karim Haddad" not in proposed
    assert "covers Renewable Energy (mean gap 50% of target)" in proposed
    assert "covers the city&#39;s language (no)" in proposed
    assert "has worked in NO" in proposed
    assert "available 60 days; this engagement takes 20" in proposed
    assert "Bea Busy: available 10 days; an engagement takes 20" in page.text
    assert "illustrative" in proposed


def test_staff_confirm_the_team_and_its_days_count_against_the_year(app, client, filed, pool):
    response = confirm(client, filed, [pool["ingrid"]])
    assert response.status_code == 302, response.text
    with app.app_context():
        [member] = db.session.scalars(select(TeamMember)).all()
        assert (member.expert_id, member.days) == (pool["ingrid"], 20)
        assert any("covers Renewable Energy" in r for r in member.reasons)
        assert committed_days(member.year) == {pool["ingrid"]: 20}
        assert db.session.scalars(
            select(AuditLog).where(AuditLog.action == "confirm_team")
        ).one().changes["experts"] == [pool["ingrid"]]
    page = client.get(f"/engagements/{filed}")
    assert "Ingrid Dahl" in page.text.split("Expert team")[1]
    # on the team now, she is not proposed again
    assert (
        "Ingrid Dahl"
        not in client.get(f"/engagements/{filed}/team").text.split("Proposed experts")[1]
    )


def test_confirming_nothing_or_someone_not_proposed_is_refused(app, client, filed, pool):
    response = confirm(client, filed, [])
    assert response.status_code == 400
    assert "Tick at least one proposed expert" in response.text
    response = confirm(client, filed, [pool["karim"]])
    assert response.status_code == 400
    assert "Only proposed experts can be confirmed" in response.text
    response = confirm(client, filed, [pool["ingrid"]], version="99")
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(TeamMember.id)) is None


def test_team_formed_needs_a_confirmed_team(app, client, filed, pool):
    save_step(client, filed, ticked=[i.key for i in CHECKLISTS[EngagementStage.REQUESTED]])
    assert advance(client, filed).status_code == 302
    save_step(client, filed, ticked=[i.key for i in CHECKLISTS[EngagementStage.ACCEPTED]])
    response = advance(client, filed)
    assert response.status_code == 400
    assert "Confirm the expert team first" in response.text
    assert confirm(client, filed, [pool["ingrid"]]).status_code == 302
    assert advance(client, filed).status_code == 302
    with app.app_context():
        assert db.session.get(Engagement, filed).stage is EngagementStage.TEAM_FORMED


def test_the_expert_pool_is_staff_only_and_labelled_illustrative(
    app, client, filed, pool, make_user
):
    page = client.get("/experts")
    assert page.status_code == 200
    assert "Ingrid Dahl" in page.text and "illustrative" in page.text
    make_user("committee@example.org", role="city", city_slug="karmoy-no")
    other = app.test_client()
    from tests.app.conftest import PASSWORD

    post(other, "/login", {"email": "committee@example.org", "password": PASSWORD})
    assert other.get("/experts").status_code == 403
    assert other.get(f"/engagements/{filed}/team").status_code == 403
