"""Who may run and see appraisals; large Monte Carlo runs become jobs."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.errors import PermissionDenied
from app.core.extensions import db
from app.models import AppraisalRun, Job, JobStatus, Project
from tests.app.appraisals.test_appraisals import EU, add_flows, appraise, run_count
from tests.app.conftest import PASSWORD, csrf_token
from tests.app.core.test_jobs import wait_for


def _appraised(app, make_user, make_project, *, published=False, title="Street lighting"):
    from app.appraisals.service import appraise_project

    made = make_project(title, published=published)
    add_flows(app, made.id)
    staff_user = make_user()
    with app.app_context():
        run = appraise_project(staff_user, made.id, "EU 2014-2020", seed=2)
        return made, run.id


def test_a_large_monte_carlo_runs_as_a_job_and_ends_on_its_run_page(
    app, client, make_user, login, make_project
):
    made = make_project()
    add_flows(app, made.id)
    make_user()
    login("staff@example.org")
    answer = appraise(client, made.id, draws="10000", seed="11")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/jobs/")
    job_id = answer.headers["Location"].rsplit("/", 1)[1]
    job = wait_for(app, job_id, timeout=60)
    assert job.status is JobStatus.DONE, job.error
    assert job.result_url and job.result_url.startswith(f"/projects/{made.id}/runs/")
    assert client.get(f"/jobs/{job_id}").headers["Location"] == job.result_url
    page = client.get(job.result_url)
    assert page.status_code == 200 and "10,000 draws, seed 11" in page.text
    with app.app_context():
        assert db.session.get(Job, job_id).kind == "appraisal"
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        assert run.results["monte_carlo"]["enpv"]["count"] == 10_000


def test_anonymous_visitors_are_sent_to_login(app, client, make_user, make_project):
    made, run_id = _appraised(app, make_user, make_project)
    for url in (
        f"/projects/{made.id}/appraise",
        f"/projects/{made.id}/runs/{run_id}",
        f"/projects/{made.id}/runs/compare?a={run_id}&b={run_id}",
    ):
        answer = client.get(url)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_city_sees_its_own_runs_read_only_and_cannot_run(
    app, client, login, make_user, make_project, make_city
):
    made, run_id = _appraised(app, make_user, make_project)
    make_user("city@example.org", "city", city_slug="karmoy-no")
    login("city@example.org")
    page = client.get(f"/projects/{made.id}/runs/{run_id}")
    assert page.status_code == 200 and "Run appraisal" not in page.text
    assert client.get(f"/projects/{made.id}/appraise").status_code == 403
    token = csrf_token(client.get(f"/projects/{made.id}/runs/{run_id}"))
    answer = client.post(
        f"/projects/{made.id}/appraise",
        data={"csrf_token": token, "parameter_set": EU, "draws": "0"},
    )
    assert answer.status_code == 403 and run_count(app) == 1
    compare = client.get(f"/projects/{made.id}/runs/compare?a={run_id}&b={run_id}")
    assert compare.status_code == 200


def test_a_city_never_sees_another_citys_runs(
    app, client, login, make_user, make_project, make_city, make_country
):
    made, run_id = _appraised(app, make_user, make_project)
    make_city("bergen-no", "Bergen", country=make_country("SE", "SWE", "Sweden"))
    make_user("bergen@example.org", "city", city_slug="bergen-no")
    login("bergen@example.org")
    assert client.get(f"/projects/{made.id}/runs/{run_id}").status_code == 403
    compare = client.get(f"/projects/{made.id}/runs/compare?a={run_id}&b={run_id}")
    assert compare.status_code == 403


def test_a_partner_gets_only_a_published_projects_summary(
    app, client, login, make_user, make_project
):
    from app.appraisals.service import project_appraisal_context

    made, run_id = _appraised(app, make_user, make_project, published=True)
    with app.app_context():
        from app.models import Partner, PartnerKind

        db.session.add(Partner(slug="acme", name="Acme", kind=PartnerKind.LOCAL_COMPANY))
        db.session.commit()
    partner = make_user("partner@example.org", "partner", partner_slug="acme")
    login("partner@example.org", PASSWORD)
    assert client.get(f"/projects/{made.id}/runs/{run_id}").status_code == 403
    assert client.get(f"/projects/{made.id}/appraise").status_code == 403
    with app.app_context():
        ctx = project_appraisal_context(partner, db.session.get(Project, made.id))
        assert ctx["runs"] == [] and ctx["latest"] is None and not ctx["can_run"]
        assert ctx["summary"]["verdict"] in ("accept", "reject")


def test_a_partner_sees_nothing_of_an_unpublished_project(app, make_user, make_project):
    from app.appraisals.service import project_appraisal_context

    made, _ = _appraised(app, make_user, make_project, published=False)
    with app.app_context():
        from app.models import Partner, PartnerKind

        db.session.add(Partner(slug="acme", name="Acme", kind=PartnerKind.LOCAL_COMPANY))
        db.session.commit()
    partner = make_user("partner@example.org", "partner", partner_slug="acme")
    with app.app_context():
        try:
            project_appraisal_context(partner, db.session.get(Project, made.id))
        except PermissionDenied:
            pass
        else:
            raise AssertionError("a partner saw an unpublished project's appraisal")


def test_a_job_the_engine_cannot_compute_fails_with_its_message_and_keeps_nothing(
    app, client, make_user, login, make_project
):
    made = make_project()  # no cash-flow lines: nothing to appraise
    make_user()
    login("staff@example.org")
    answer = appraise(client, made.id, draws="10000")
    job = wait_for(app, answer.headers["Location"].rsplit("/", 1)[1], timeout=60)
    assert job.status is JobStatus.FAILED and "no economic costs" in job.error
    assert run_count(app) == 0
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and "The job failed" in page.text
