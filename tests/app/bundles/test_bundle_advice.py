"""A bundle's advice is what re-solving confirms, and its frontier shows the trade-off
(or says why there is none)."""

from __future__ import annotations

from app.appraisals.service import appraise_missing
from app.bundles.demo import create_demo_bundle
from app.seeding import seed_database
from tests.app.bundles.bundle_world import (
    START,
    new_bundle,
    optimise,
    save_edit,
    year_index,
)
from tests.app.conftest import PASSWORD


def test_the_demo_bundle_shows_a_frontier_of_several_bundles(app):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        result = create_demo_bundle().result
    points = {(round(p["enpv"]), round(p["gap"], 6)) for p in result["frontier"]}
    assert len(points) >= 2  # before: one point, every gap-closing project over its budget
    enpv = [p["enpv"] for p in sorted(result["frontier"], key=lambda p: p["gap"])]
    assert enpv == sorted(enpv, reverse=True)  # more gap closure costs ENPV


def test_a_one_point_frontier_says_which_budget_keeps_the_gap_closers_out(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = "5000000"  # lighting: 6 m
        fields[f"budgets-{year_index(fields, START + 1)}-amount"] = "1000000"  # buses: 2 m

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    page = staff.get(f"/bundles/{bundle_id}").text
    assert "One bundle is best on both counts" in page
    assert (
        "“Electric buses” (#3) alone needs EUR 2.00 m of the capex budget for 2028, which is "
        "EUR 1.00 m" in page
    )
    assert "“Street lighting” (#1) alone needs EUR 6.00 m of the capex budget for 2027" in page
