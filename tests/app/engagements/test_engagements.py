"""Engagements: filing a request, the checklist that holds a stage, stage moves audited
and version-checked, where each city stands and what is late, and who sees what."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.core.extensions import db
from app.engagements.stages import CHECKLISTS, ORDER, tickable
from app.models import AuditLog, Engagement, EngagementStage, EngagementStep
from tests.app.conftest import PASSWORD
from tests.app.engagements.conftest import give_data, post, request_form, version_on


def show(client, engagement_id):
    return client.get(f"/engagements/{engagement_id}")


def save_step(client, engagement_id, **fields):
    page = show(client, engagement_id)
    data = {"version": version_on(page.text), "owner": "", "documents": "", "due_on": ""}
    data.update(fields)
    return post(
        client, f"/engagements/{engagement_id}/step", data, page=f"/engagements/{engagement_id}"
    )


def advance(client, engagement_id, version=None):
    page = show(client, engagement_id)
    version = version or version_on(page.text)
    return post(
        client,
        f"/engagements/{engagement_id}/advance",
        {"version": version},
        page=f"/engagements/{engagement_id}",
    )


def tick_all(client, engagement_id, stage, **fields):
    keys = [item.key for item in tickable(stage)]
    return save_step(client, engagement_id, ticked=keys, **fields)


def test_staff_files_a_request_that_starts_requested_with_a_due_date(app, filed):
    with app.app_context():
        engagement = db.session.get(Engagement, filed)
        assert engagement.stage is EngagementStage.REQUESTED
        [step] = engagement.steps
        assert step.started_on == date(2026, 1, 15)
        assert step.due_on == date(2026, 2, 14)  # 30 days for a request to be answered
        audit = db.session.scalars(select(AuditLog).where(AuditLog.entity == "engagement")).one()
        assert audit.action == "file"


def test_a_stage_cannot_be_left_until_its_checklist_holds(app, client, filed):
    response = advance(client, filed)
    assert response.status_code == 400
    assert "cannot be left yet" in response.text
    assert "The formal request letter is on file" in response.text
    save_step(client, filed, ticked=["letter"])
    response = advance(client, filed)
    assert response.status_code == 400
    alert = response.text.split("cannot be left yet")[1].split("</p>")[0]
    assert "contact person is named" in alert
    assert "formal request letter" not in alert
    with app.app_context():
        assert db.session.get(Engagement, filed).stage is EngagementStage.REQUESTED


def test_a_request_moves_through_every_stage_to_closed_audited(app, client, filed, pool):
    for stage in ORDER[:-1]:
        if stage is EngagementStage.ACCEPTED:
            url = f"/engagements/{filed}/team"
            team = {"version": version_on(client.get(url).text), "expert_ids": [pool["ingrid"]]}
            assert post(client, url, team, page=url).status_code == 302
        response = tick_all(client, filed, stage, owner=f"Owner of {stage.value}")
        assert response.status_code == 302, response.text
        if any(item.from_data for item in CHECKLISTS[stage]):
            refused = advance(client, filed)  # the data items hold only by the data
            assert refused.status_code == 400 and "cannot be left yet" in refused.text
            give_data(app, filed, stage)
        response = advance(client, filed)
        assert response.status_code == 302, response.text
    with app.app_context():
        engagement = db.session.get(Engagement, filed)
        assert engagement.stage is EngagementStage.CLOSED
        assert [s.stage for s in engagement.steps] == list(ORDER)
        assert all(s.completed_on for s in engagement.steps[:-1])
        assert engagement.steps[1].owner == "Owner of accepted"
        moves = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "advance").order_by(AuditLog.id)
        ).all()
        assert [m.changes["stage"]["to"] for m in moves] == [s.value for s in ORDER[1:]]
    page = show(client, filed)
    assert "Move to" not in page.text


def test_a_stage_save_from_a_stale_page_is_refused_with_409(app, client, filed):
    stale = version_on(show(client, filed).text)
    assert save_step(client, filed, owner="Ana").status_code == 302
    response = post(
        client,
        f"/engagements/{filed}/step",
        {"version": stale, "owner": "Bo", "documents": "", "due_on": ""},
        page=f"/engagements/{filed}",
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert advance(client, filed, version=stale).status_code == 409
    with app.app_context():
        assert db.session.get(Engagement, filed).steps[0].owner == "Ana"


def test_bad_stage_input_is_refused_on_its_field_and_nothing_is_saved(app, client, filed):
    response = save_step(client, filed, owner="Ana", due_on="15/02/2026")
    assert response.status_code == 400
    assert "Write the date as YYYY-MM-DD" in response.text
    response = save_step(client, filed, owner="Ana", due_on="2025-12-31")
    assert response.status_code == 400
    assert "before the stage began (2026-01-15)" in response.text
    response = save_step(client, filed, owner="Ana", ticked=["letter", "bogus"])
    assert response.status_code == 400
    assert "not items of this stage" in response.text
    with app.app_context():
        step = db.session.get(Engagement, filed).steps[0]
        assert step.owner == "" and step.due_on == date(2026, 2, 14)


def test_bad_request_input_is_refused_on_its_field_and_nothing_is_saved(
    app, client, as_role, world
):
    as_role("staff")
    cases = [
        (request_form(world.city_id, requested_on=""), "Give the date of the request"),
        (request_form(world.city_id, requested_on="2026-13-01"), "Write the date as YYYY-MM-DD"),
        (
            request_form(
                world.city_id, requested_on=(date.today() + timedelta(days=9)).isoformat()
            ),
            "in the future",
        ),
        (request_form(world.city_id, requester_name="  "), "Name the office"),
        (request_form(""), "Choose the city"),
        (request_form(world.city_id, requester="mayor"), "Not a valid choice"),
    ]
    for data, message in cases:
        response = post(client, "/engagements/new", data)
        assert response.status_code == 400, data
        assert message in response.text, data
    with app.app_context():
        assert db.session.scalar(select(Engagement.id)) is None


def test_one_request_form_submitted_twice_files_one_engagement(app, client, as_role, world):
    as_role("staff")
    page = client.get("/engagements/new")
    key = page.text.split('name="creation_key" type="hidden" value="')[1].split('"')[0]
    for _ in range(2):
        response = post(
            client, "/engagements/new", {**request_form(world.city_id), "creation_key": key}
        )
        assert response.status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Engagement)).all()) == 1


def test_the_engagements_page_shows_where_each_city_stands_and_what_is_late(
    app, client, filed, world
):
    with app.app_context():
        other = Engagement(
            city_id=world.other_city_id,
            requester="national_government",
            requester_name="Ministry of Local Affairs",
            requested_on=date.today(),
        )
        other.steps.append(
            EngagementStep(
                stage=EngagementStage.REQUESTED,
                started_on=date.today(),
                due_on=date.today() + timedelta(days=30),
            )
        )
        db.session.add(other)
        db.session.commit()
    page = client.get("/engagements")
    assert page.status_code == 200
    late_days = (date.today() - date(2026, 2, 14)).days
    assert f"late by {late_days} days" in page.text
    assert "Ministry of Local Affairs (national government)" in page.text
    assert "(1 late)" in page.text
    assert page.text.index("Karmøy") < page.text.index("Bizerte")  # late first


def test_a_city_files_its_own_request_and_sees_only_its_own(app, client, as_role, world):
    as_role("city")
    response = post(client, "/engagements/new", request_form(world.other_city_id))
    assert response.status_code == 302
    with app.app_context():
        engagement = db.session.scalars(select(Engagement)).one()
        assert engagement.city_id == world.city_id  # its own city, whatever was posted
        engagement_id = engagement.id
    assert show(client, engagement_id).status_code == 200
    assert "Save the stage" not in show(client, engagement_id).text
    response = post(
        client,
        f"/engagements/{engagement_id}/advance",
        {"version": "1"},
        page=f"/engagements/{engagement_id}",
    )
    assert response.status_code == 403


def test_another_city_and_partners_see_none_of_it(app, make_user, filed):
    make_user("bizerte@example.org", role="city", city_slug="bizerte-tn")
    make_user("partner@example.org", role="partner", partner_slug="acme")
    for email, own_list in (("bizerte@example.org", 200), ("partner@example.org", 403)):
        client = app.test_client()
        response = post(client, "/login", {"email": email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(f"/engagements/{filed}").status_code == 403
        listing = client.get("/engagements")
        assert listing.status_code == own_list
        if own_list == 200:
            assert "Karmøy" not in listing.text
        assert client.get("/engagements/new").status_code == own_list


def test_the_pipeline_board_counts_engagements_per_stage_and_the_late_ones(
    app, client, filed, world
):
    tick_all(client, filed, EngagementStage.REQUESTED)
    assert advance(client, filed).status_code == 302
    with app.app_context():
        for city_id, due in ((world.city_id, date(2026, 2, 1)), (world.other_city_id, None)):
            late = Engagement(
                city_id=city_id,
                requester="city",
                requester_name="Mayor",
                requested_on=date(2026, 1, 1),
            )
            late.steps.append(
                EngagementStep(
                    stage=EngagementStage.REQUESTED, started_on=date(2026, 1, 1), due_on=due
                )
            )
            db.session.add(late)
        db.session.commit()
    from app.engagements.overview import engagement_summary
    from app.models import User

    with app.app_context():
        staff = db.session.scalars(select(User)).first()
        counts = {row.stage: (row.count, row.late) for row in engagement_summary(staff)}
        assert counts[EngagementStage.REQUESTED] == (2, 1)
        assert counts[EngagementStage.ACCEPTED] == (1, 0)
        assert sum(c for c, _ in counts.values()) == 3
        mine = engagement_summary(staff, city_id=world.other_city_id)
        assert [(r.count, r.late) for r in mine if r.count] == [(1, 0)]
    page = client.get("/pipeline")
    assert page.status_code == 200
    table = page.text.split("Engagements by stage")[1].split("</table>")[0]
    assert '<th scope="row">Requested</th><td class="num">2</td><td class="num">1</td>' in table
    assert '<th scope="row">Accepted</th><td class="num">1</td><td class="num">0</td>' in table
