"""The action plan: built from the approved bundle, milestones kept by staff (bad input
refused on its field, stale saves 409, every change audited), the city's agreement,
which the "action plan agreed" stage's checklist reads; who sees it."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.engagements.checks import data_state
from app.models import ActionPlan, AuditLog, Engagement, EngagementStage, Milestone
from tests.app.action_plans.conftest import build, milestone, plan_url
from tests.app.bundles.bundle_world import signed_in
from tests.app.engagements.conftest import post, version_on


def test_the_plan_is_built_from_the_approved_bundle_and_agreed_once_complete(app, approved):
    staff, engagement_id = approved["staff"], approved["engagement"]
    page = staff.get(plan_url(engagement_id))
    assert "Build the plan from the approved bundle" in page.text
    assert build(staff, engagement_id).status_code == 302
    assert build(staff, engagement_id).status_code == 302  # once: the same plan
    with app.app_context():
        plan = db.session.scalars(select(ActionPlan)).one()
        assert plan.bundle_id == approved["bundle"]
    page = staff.get(plan_url(engagement_id))
    for project_id in approved["selected"]:
        assert f'<option value="{project_id}">' in page.text

    agree = {"version": version_on(page.text), "agreed_on": "2026-03-01"}
    response = post(staff, f"{plan_url(engagement_id)}/agree", agree, page=plan_url(engagement_id))
    assert response.status_code == 400
    assert "Every project of the plan needs at least one milestone" in response.text

    for number, project_id in enumerate(approved["selected"]):
        response = milestone(
            staff, engagement_id, project_id=str(project_id), name=f"Tender {number}",
            due_on="2026-09-30", owner="Harbour office",
        )  # fmt: skip
        assert response.status_code == 302, response.text
    page = staff.get(plan_url(engagement_id))
    agree = {"version": version_on(page.text), "agreed_on": "2026-03-01"}
    response = post(staff, f"{plan_url(engagement_id)}/agree", agree, page=plan_url(engagement_id))
    assert response.status_code == 302, response.text
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        state = data_state(engagement, EngagementStage.ACTION_PLAN_AGREED)
        assert state == {"plan": True, "owners": True}
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "action_plan")
        ).all()
        assert actions.count("add_milestone") == len(approved["selected"])
        assert "agree_plan" in actions
    page = staff.get(plan_url(engagement_id))
    assert "Agreed with the city on 2026-03-01" in page.text


def test_bad_milestone_input_is_refused_on_its_field_and_nothing_is_saved(app, approved):
    staff, engagement_id = approved["staff"], approved["engagement"]
    build(staff, engagement_id)
    project = str(approved["selected"][0])
    good = {"project_id": project, "name": "Tender", "due_on": "2026-09-30", "owner": "Ana"}
    cases = (
        ({"due_on": "30/09/2026"}, "Write the date as YYYY-MM-DD"),
        ({"due_on": "2020-01-01"}, "must fall between the request (2026-01-15)"),
        ({"owner": "  "}, "Name who owns the milestone"),
        ({"project_id": "999999"}, "Choose one of the plan"),
        ({"status": "finished"}, "Not a valid choice"),
        ({"done_on": "2026-05-01"}, "only for a milestone that is done"),
        ({"status": "done", "done_on": "2099-01-01"}, "The date done is in the future"),
    )
    for change, message in cases:
        response = milestone(staff, engagement_id, **{**good, **change})
        assert response.status_code == 400, change
        assert message in response.text, change
    with app.app_context():
        assert db.session.scalar(select(Milestone.id)) is None


def test_a_milestone_edit_from_a_stale_page_is_409_and_edits_are_audited(app, approved):
    staff, engagement_id = approved["staff"], approved["engagement"]
    build(staff, engagement_id)
    project = str(approved["selected"][0])
    fields = {"project_id": project, "name": "Tender", "due_on": "2026-09-30", "owner": "Ana"}
    assert milestone(staff, engagement_id, **fields).status_code == 302
    with app.app_context():
        milestone_id = db.session.scalar(select(Milestone.id))
    url = f"{plan_url(engagement_id)}/milestones/{milestone_id}"
    stale = version_on(staff.get(url).text)
    edit = {**fields, "version": stale, "status": "done", "done_on": "2026-02-01"}
    assert post(staff, url, edit).status_code == 302
    response = post(staff, url, {**edit, "owner": "Bo"})  # the same old version
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    with app.app_context():
        saved = db.session.get(Milestone, milestone_id)
        assert (saved.owner, saved.status.value, saved.done_on.isoformat()) == (
            "Ana",
            "done",
            "2026-02-01",
        )
        audit = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "edit_milestone")
        ).one()
        assert audit.changes["status"] == {"from": "planned", "to": "done"}


def test_the_city_reads_its_plan_and_partners_and_other_cities_see_none(app, approved):
    staff, engagement_id = approved["staff"], approved["engagement"]
    build(staff, engagement_id)
    city = approved["city"]
    page = city.get(plan_url(engagement_id))
    assert page.status_code == 200 and "Action plan of Karmoy" in page.text
    assert "Add the milestone" not in page.text
    assert build(city, engagement_id).status_code == 403
    assert signed_in(app, "asker@example.org").get(plan_url(engagement_id)).status_code == 403
    partner = signed_in(app, "partner@example.org")
    assert partner.get(plan_url(engagement_id)).status_code == 403
    assert partner.get(f"/engagements/{engagement_id}/reviews").status_code == 403
    assert partner.get("/engagements").status_code == 403
