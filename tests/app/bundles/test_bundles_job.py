"""A bundle of 1,000 candidates or more is optimised as a job, whose result links back."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert

from app.bundles.optimisation import JOB_MIN_CANDIDATES
from app.core.extensions import db
from app.models import AppraisalRun, Bundle, CashFlowLine, FlowKind, JobStatus, Project
from tests.app.bundles.bundle_world import (
    PROJECTS,
    START,
    build_world,
    new_bundle,
    optimise,
    save_edit,
    signed_in,
    year_index,
)
from tests.app.core.test_jobs import wait_for

EXTRA = JOB_MIN_CANDIDATES  # with the world's three appraised projects: over the threshold


def add_synthetic_projects(app, city_id: int, sector_id: int, count: int) -> dict[int, float]:
    """``count`` small appraised projects by bulk insert; their capex by id."""
    rng = np.random.default_rng(7)
    capex = rng.uniform(1e5, 1e6, count).round(2)
    enpv = rng.uniform(-2e5, 2e6, count).round(2)
    ids = list(range(10_000, 10_000 + count))
    with app.app_context():
        db.session.execute(
            insert(Project),
            [
                {
                    "id": pid,
                    "title": f"Synthetic {pid}",
                    "city_id": city_id,
                    "sector_id": sector_id,
                    "price_base_year": 2024,
                    "start_year": START,
                    "illustrative": True,
                }  # fmt: skip
                for pid in ids
            ],
        )
        db.session.execute(
            insert(CashFlowLine),
            [
                {"project_id": pid, "year": 0, "kind": FlowKind.CAPEX, "amount": float(c)}
                for pid, c in zip(ids, capex, strict=True)
            ],
        )
        db.session.execute(
            insert(AppraisalRun),
            [
                {
                    "project_id": pid,
                    "parameter_set": "synthetic",
                    "engine_version": "test",
                    "inputs": {},
                    "results": {
                        "summary": {"enpv": float(v), "currency": "EUR", "price_base_year": 2024}
                    },
                }  # fmt: skip
                for pid, v in zip(ids, enpv, strict=True)
            ],
        )
        db.session.commit()
    return dict(zip(ids, capex.tolist(), strict=True))


def test_large_bundle_runs_as_a_job_and_links_to_its_result(app):
    world = build_world(app)
    capex = add_synthetic_projects(app, world["city_a"], world["sectors"]["energy"], EXTRA)
    capex.update(zip(world["projects"].values(), [r[2][0] for r in PROJECTS], strict=True))
    staff = signed_in(app, "staff@example.org")
    bundle_id = new_bundle(staff, world["city_a"], name="Large")
    budget = 0.3 * sum(capex.values())

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = f"{budget:.2f}"

    assert save_edit(staff, bundle_id, fill).status_code == 302
    answer = optimise(staff, bundle_id)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/jobs/")
    job = wait_for(app, answer.headers["Location"].split("/")[2], timeout=240)
    assert job.status is JobStatus.DONE, job.error
    assert job.result_url == f"/bundles/{bundle_id}"
    assert staff.get(f"/jobs/{job.id}").headers["Location"] == f"/bundles/{bundle_id}"
    with app.app_context():
        bundle = db.session.get(Bundle, bundle_id)
        result = bundle.result
        chosen = {item.project_id for item in bundle.items if item.selected}
    assert result["candidates"] >= JOB_MIN_CANDIDATES
    assert result["status"] in ("optimal", "time_limit", "feasible")
    assert chosen == set(result["selected"]) and chosen
    assert sum(capex[pid] for pid in chosen) <= budget + 1
    assert staff.get(f"/bundles/{bundle_id}").status_code == 200
