"""The expert role: staff invite an expert's account bound to their expert of the pool;
the expert sees only the engagements whose team they are on and their missions, records
the missions' findings, and sees no partner data, no committee and no other engagement."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, Engagement, Mission, Role, User
from tests.app.conftest import PASSWORD, csrf_token
from tests.app.engagements.conftest import post, request_form, version_on
from tests.app.engagements.test_missions import record


def invite(client, **fields):
    page = client.get("/admin/users/invite")
    data = {"email": "ingrid@experts.example", "name": "Ingrid", "role": "expert",
            "city": "", "partner": "", "expert": "", "member": ""} | fields  # fmt: skip
    return client.post("/admin/users/invite", data=data | {"csrf_token": csrf_token(page)})


def accept(app, response):
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', response.text)
    path = link.group(1).replace("http://localhost", "")
    expert = app.test_client()
    page = expert.get(path)
    new = "a long expert password"
    answer = expert.post(path, data={"new": new, "repeat": new, "csrf_token": csrf_token(page)})
    assert answer.status_code == 302, answer.text
    return expert


def test_an_invited_expert_sees_only_their_engagements_and_records_findings(
    app, client, filed, pool, world
):
    url = f"/engagements/{filed}/team"
    team = {"version": version_on(client.get(url).text), "expert_ids": [pool["ingrid"]]}
    assert post(client, url, team, page=url).status_code == 302
    assert post(client, "/engagements/new", request_form(world.other_city_id)).status_code == 302
    assert record(client, filed).status_code == 302
    with app.app_context():
        other = db.session.scalar(select(Engagement.id).where(Engagement.id != filed))
        mission_id = db.session.scalar(select(Mission.id))

    refused = invite(client)
    assert refused.status_code == 400
    assert "An expert account needs its expert of the pool" in refused.text
    shown = invite(client, expert=str(pool["ingrid"]))
    assert shown.status_code == 201, shown.text
    again = invite(client, email="other@experts.example", expert=str(pool["ingrid"]))
    assert again.status_code == 400 and "has an account already" in again.text
    with app.app_context():
        account = db.session.scalar(select(User).where(User.email == "ingrid@experts.example"))
        assert account.role is Role.EXPERT and account.expert_id == pool["ingrid"]

    expert = accept(app, shown)
    home = expert.get("/")
    assert "Engagement of Karmøy" in home.text and "Bizerte" not in home.text
    listing = expert.get("/engagements")
    assert listing.status_code == 200
    assert "Karmøy" in listing.text and "Bizerte" not in listing.text
    page = expert.get(f"/engagements/{filed}")
    assert page.status_code == 200 and "Save the stage" not in page.text
    assert "Organizing Committee" not in page.text
    assert expert.get(f"/engagements/{filed}/plan").status_code == 200
    reviews = expert.get(f"/engagements/{filed}/reviews")
    assert reviews.status_code == 200 and "Save the review" not in reviews.text
    assert expert.get(f"/engagements/{other}").status_code == 403
    assert expert.get(f"/engagements/{other}/plan").status_code == 403

    mission = expert.get(f"/missions/{mission_id}")
    assert mission.status_code == 200 and "Save the findings" in mission.text
    findings = {"version": version_on(mission.text), "environment": "Wind share below target."}
    response = post(expert, f"/missions/{mission_id}", findings)
    assert response.status_code == 302, response.text
    assert "Wind share below target." in expert.get(f"/missions/{mission_id}").text
    with app.app_context():
        audit = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "mission_findings")
        ).one()
        assert audit.user_id == account.id
    assert expert.get(f"/engagements/{filed}/missions/new").status_code == 403

    for forbidden in (
        "/partners",
        "/partners/1",
        "/opportunities",
        f"/cities/{world.city_id}/committee",
        "/experts",
        "/admin/users",
        "/lessons/new",
    ):
        assert expert.get(forbidden).status_code == 403, forbidden


def test_a_partner_sees_no_engagement_plan_or_review(app, filed, make_user, world):
    make_user("p@example.org", role="partner", partner_slug=world.partner_slug)
    partner = app.test_client()
    token = csrf_token(partner.get("/login"))
    login = {"email": "p@example.org", "password": PASSWORD, "csrf_token": token}
    assert partner.post("/login", data=login).status_code == 302
    for path in (
        "/engagements",
        f"/engagements/{filed}",
        f"/engagements/{filed}/plan",
        f"/engagements/{filed}/reviews",
    ):
        assert partner.get(path).status_code == 403, path
