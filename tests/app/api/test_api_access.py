"""Who may call what: every operation of the document, as each role and with no token.

The same permission rules as the pages (the API calls the same services); the table
below must name every operation the OpenAPI document has, so a new endpoint cannot land
without its access rules being checked here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import AppraisalRun, Bundle, BundleStatus, Job, User

ROLES = ("staff", "city", "partner", "anonymous")
OK = (200, 201)


def want(staff, city, partner) -> dict[str, object]:
    return {"staff": staff, "city": city, "partner": partner}


def _calls(w: dict) -> list[tuple[str, str, str, dict | None, dict[str, object]]]:
    """(operation, method, url, body, expected status per role); "ok" means 200 or 201."""
    city_sees_bundle = w["bundle_status"] != "draft"
    value = {"values": [{"kpi_code": "EC: ICT: ICT: 1C", "year": 2026, "value": 99}]}
    push = value | {"dry_run": True}
    project = {
        "city_id": w["karmoy"], "sector_id": w["sector"], "title": "Access check",
        "delivery_model": "public", "currency": "EUR", "price_base_year": 2024,
        "price_basis": "real", "start_year": 2027, "horizon_years": 10,
    }  # fmt: skip
    message = {"message": "We would like to discuss this project with the city."}
    d, od, pub = w["draft"], w["other_draft"], w["published"]
    return [
        ("get /cities", "get", "/api/v1/cities", None, want(OK, OK, OK)),
        ("get /cities/{city_id}", "get", f"/api/v1/cities/{w['karmoy']}", None,
         want(OK, OK, OK)),
        ("get /cities/{city_id}/kpis", "get", f"/api/v1/cities/{w['karmoy']}/kpis", None,
         want(OK, OK, OK)),
        ("post /cities/{city_id}/kpis", "post", f"/api/v1/cities/{w['karmoy']}/kpis", push,
         want(OK, OK, 403)),
        ("post /cities/{city_id}/kpis", "post", f"/api/v1/cities/{w['other_city']}/kpis", push,
         want(OK, 403, 403)),
        ("get /projects", "get", "/api/v1/projects", None, want(OK, OK, OK)),
        ("post /projects", "post", "/api/v1/projects", project,
         want(OK, 403, 403)),
        ("get /projects/{project_id}", "get", f"/api/v1/projects/{d}", None,
         want(OK, OK, 403)),
        ("get /projects/{project_id}", "get", f"/api/v1/projects/{od}", None,
         want(OK, 403, 403)),
        ("get /projects/{project_id}", "get", f"/api/v1/projects/{pub}", None,
         want(OK, OK, OK)),
        ("patch /projects/{project_id}", "patch", f"/api/v1/projects/{d}", {"version": 0},
         want(409, 403, 403)),
        ("get /projects/{project_id}/cashflows", "get", f"/api/v1/projects/{d}/cashflows", None,
         want(OK, OK, 403)),
        ("put /projects/{project_id}/cashflows", "put", f"/api/v1/projects/{d}/cashflows",
         {"version": 0, "lines": []}, want(409, 403, 403)),
        ("post /projects/{project_id}/runs", "post", f"/api/v1/projects/{d}/runs", {},
         want(OK, 403, 403)),
        ("get /projects/{project_id}/runs", "get", f"/api/v1/projects/{d}/runs", None,
         want(OK, OK, 403)),
        ("get /projects/{project_id}/runs", "get", f"/api/v1/projects/{od}/runs", None,
         want(OK, 403, 403)),
        ("get /projects/{project_id}/runs/{run_id}", "get",
         f"/api/v1/projects/{d}/runs/{w['run']}", None, want(OK, OK, 403)),
        ("get /bundles", "get", "/api/v1/bundles", None, want(OK, OK, 403)),
        ("get /bundles/{bundle_id}", "get", f"/api/v1/bundles/{w['bundle']}", None,
         want(OK, OK if city_sees_bundle else 403, 403)),
        ("post /bundles/{bundle_id}/optimise", "post", f"/api/v1/bundles/{w['bundle']}/optimise",
         {"version": 0}, want(409, 403, 403)),
        ("get /opportunities", "get", "/api/v1/opportunities", None,
         want(OK, 403, OK)),
        ("get /opportunities/{project_id}", "get", f"/api/v1/opportunities/{pub}", None,
         want(OK, 403, OK)),
        ("post /opportunities/{project_id}/interests", "post",
         f"/api/v1/opportunities/{pub}/interests", message, want(403, 403, OK)),
        ("get /interests", "get", "/api/v1/interests", None, want(OK, 403, OK)),
        ("get /jobs/{job_id}", "get", f"/api/v1/jobs/{w['job']}", None,
         want(OK, 403, 403)),
    ]  # fmt: skip


@pytest.fixture
def access_world(app, world) -> dict:
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        job = Job(kind="appraisal", title="a staff job", user_id=staff.id)
        db.session.add(job)
        db.session.commit()
        bundle = db.session.get(Bundle, world["bundle"])
        run = db.session.scalar(
            select(AppraisalRun.id).where(AppraisalRun.project_id == world["draft"]).limit(1)
        )
        return world | {
            "job": job.id,
            "run": run,
            "sector": db.session.scalar(select(Bundle.city_id))
            and bundle.items[0].project.sector_id,
            "bundle_status": BundleStatus(bundle.status).value,
        }


def test_the_table_names_every_operation_of_the_document(client, access_world):
    spec = client.get("/api/v1/openapi.json").json
    documented = {
        f"{method} {path.removeprefix('/api/v1')}"
        for path, operations in spec["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert documented == {call[0] for call in _calls(access_world)}


def test_each_role_reaches_what_its_pages_reach_and_nothing_more(client, access_world):
    wrong = []
    for role, operation, method, url, body, expected in [
        (role, *call) for role in ROLES for call in _calls(access_world)
    ]:
        headers = access_world["headers"][role]
        want = expected.get(role, 401)
        answer = client.open(url, method=method.upper(), json=body, headers=headers)
        allowed = want if isinstance(want, tuple) else (want,)
        if answer.status_code not in allowed:
            wrong.append(f"{role}: {operation} {url}: {answer.status_code}, wanted {want}")
        elif answer.status_code >= 400:
            assert answer.mimetype == "application/problem+json"
            assert answer.json["status"] == answer.status_code and answer.json["detail"]
    assert not wrong, "\n".join(wrong)
