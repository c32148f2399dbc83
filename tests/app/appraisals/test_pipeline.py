"""Re-appraising the whole pipeline in one batch (issue 16): the runs hold what a single
appraisal holds, the command and the staff job say how many were appraised and refused."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.appraisals.batch_results import _usual, compute_many
from app.appraisals.pipeline import appraise_pipeline
from app.appraisals.results import compute_results, json_safe
from app.core.extensions import db
from app.models import AppraisalRun, AuditLog, CashFlowLine, FlowKind, Project, Stage
from app.seeding import seed_database
from tests.app.appraisals.test_appraisals import add_flows, run_count
from tests.app.conftest import PASSWORD, csrf_token
from tests.app.core.test_jobs import wait_for

SET = "EU 2014-2020"


def differences(a, b, path="") -> list[str]:
    """Where two results differ: keys, lengths, texts, or numbers beyond 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]")
        ]
    if isinstance(a, float) and isinstance(b, float):
        return [] if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) else [f"{path}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


def as_kept(results) -> dict:
    """What a run row holds: JSON, NaN as null."""
    return json.loads(json.dumps(json_safe(results), allow_nan=False))


@pytest.fixture
def pipeline(app, runner):
    """The demo set and a small scale set: public and PPP projects of many horizons."""
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
    assert runner.invoke(args=["seed", "--scale", "3"]).exit_code == 0
    with app.app_context():
        return list(db.session.scalars(sa.select(Project.id).order_by(Project.id)))


def test_batch_results_equal_the_single_path(app, pipeline):
    from app.appraisals.service import _project, _snapshot

    with app.app_context():
        snaps = [_snapshot(_project(pid), SET, seed=pid) for pid in pipeline]
        models = {s["project"]["delivery_model"] for s in snaps}
        assert models == {"public", "ppp_availability", "ppp_concession"}
        assert sum(map(_usual, snaps)) >= 60  # the scale set goes through the arrays
        batch = compute_many(snaps)
        for snap, got in zip(snaps, batch, strict=True):
            try:
                expected = compute_results(snap)
            except Exception as error:  # refused: refused the same way
                assert type(got) is type(error) and str(got) == str(error)
                continue
            assert differences(as_kept(expected), as_kept(got)) == [], snap["project"]["id"]


def test_every_run_row_holds_what_a_single_appraisal_computes(app, runner, pipeline):
    answer = runner.invoke(args=["appraise", "--all"])
    assert answer.exit_code == 0, answer.output
    assert f"appraised {len(pipeline):,} of {len(pipeline):,} projects" in answer.output
    with app.app_context():
        runs = list(db.session.scalars(sa.select(AppraisalRun).order_by(AppraisalRun.id)))
        assert sorted(r.project_id for r in runs) == pipeline
        for run in runs[:: max(1, len(runs) // 25)]:  # a sample across the pipeline
            assert differences(as_kept(compute_results(run.inputs)), run.results) == []
            assert run.verdict == run.results["summary"]["verdict"]


def test_appraise_all_moves_stages_and_audits_as_a_single_appraisal(app, make_project):
    early = make_project("Early")
    add_flows(app, early.id)
    with app.app_context():
        result = appraise_pipeline(SET)
        assert result["appraised"] == 1 and result["refused"] == 0
        assert db.session.get(Project, early.id).stage is Stage.APPRAISED
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        actions = {
            a.action: a.changes
            for a in db.session.scalars(
                sa.select(AuditLog).where(AuditLog.entity_id == str(early.id))
            )
        }
        assert actions["appraise"]["run_id"] == run.id
        assert actions["advance"]["why"] == f"appraisal run {run.id}"


def test_refusals_are_counted_with_their_first_reasons(app, runner, make_project):
    good = make_project("With flows")
    empty = make_project("Without flows", city=good.city, sector=good.sector)
    add_flows(app, good.id)
    answer = runner.invoke(args=["appraise", "--all"])
    assert answer.exit_code == 0
    assert "appraised 1 of 2 projects" in answer.output and "refused 1" in answer.output
    assert f"project {empty.id}: the project has no economic costs" in answer.output
    assert run_count(app) == 1
    again = runner.invoke(args=["appraise", "--missing"])
    assert "appraised 0 of 1 projects" in again.output  # only the refused one is missing
    assert runner.invoke(args=["appraise"]).exit_code != 0  # one of --all, --missing
    unknown = runner.invoke(args=["appraise", "--all", "--parameter-set", "EU 1990"])
    assert unknown.exit_code != 0 and "no parameter set named" in unknown.output


def test_a_project_with_unusual_inputs_takes_the_single_path(app, make_project):
    made = make_project("Nominal with a loan")
    add_flows(app, made.id)
    with app.app_context():
        project = db.session.get(Project, made.id)
        project.assumptions = {"financing": {"loan_share": 0.5}}
        db.session.add(
            CashFlowLine(project_id=made.id, year=3, kind=FlowKind.REPLACEMENT, amount=Decimal("5"))
        )
        db.session.commit()
        from app.appraisals.service import _project, _snapshot

        snap = _snapshot(_project(made.id), SET, seed=made.id)
        assert differences(as_kept(compute_results(snap)), as_kept(compute_many([snap])[0])) == []


def test_staff_start_the_re_appraisal_as_a_job_and_see_the_counts(
    app, client, make_user, login, make_project
):
    made = make_project()
    add_flows(app, made.id)
    make_user()
    login("staff@example.org")
    assert "Re-appraise the whole pipeline" in client.get("/pipeline").text
    form = client.get("/appraisals/all")
    assert form.status_code == 200
    answer = client.post(
        "/appraisals/all",
        data={
            "csrf_token": csrf_token(form),
            "parameter_set": "EU 2014-2020|2014.12-eib2020carbon",
        },
    )
    assert answer.status_code == 302
    job = wait_for(app, answer.headers["Location"].rsplit("/", 1)[1], timeout=60)
    assert job.status.value == "done", job.error
    assert job.result["appraised"] == 1 and "appraised 1 of 1 projects" in job.message
    page = client.get(f"/jobs/{job.id}")
    assert "appraised 1 of 1 projects" in page.text
    assert "1 of 1 projects appraised" in client.get("/appraisals/all").text
    bad = client.post(
        "/appraisals/all", data={"csrf_token": csrf_token(form), "parameter_set": "EU 1990|x"}
    )
    assert bad.status_code == 400 and "The re-appraisal was not started" in bad.text


def test_the_re_appraisal_is_for_staff_only(client, make_user, login, make_city):
    city = make_city()
    make_user("city@example.org", "city", city_slug=city.slug)
    login("city@example.org")
    assert client.get("/appraisals/all").status_code == 403
    assert "Re-appraise the whole pipeline" not in client.get("/pipeline").text
