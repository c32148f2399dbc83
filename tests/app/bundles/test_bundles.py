"""Bundles: optimising a city's candidates under budgets, in the browser's own forms."""

from __future__ import annotations

import pytest

from app.core.extensions import db
from app.models import Bundle
from appraisal.analysis.kpi_gaps import gap_closure
from tests.app.bundles.bundle_world import (
    GAPS,
    PROJECTS,
    START,
    best_by_search,
    form_on,
    new_bundle,
    optimise,
    row_index,
    save_edit,
    year_index,
)


def test_enpv_bundle_respects_the_budget_and_uses_appraisal_values(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])
    budget = 10e6

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = str(int(budget))

    assert save_edit(staff, bundle_id, fill).status_code == 302
    assert optimise(staff, bundle_id).headers["Location"] == f"/bundles/{bundle_id}"
    with app.app_context():
        bundle = db.session.get(Bundle, bundle_id)
        result = bundle.result
        chosen = {item.project_id for item in bundle.items if item.selected}
    pids = world["projects"]
    values = {r[0]: r[3] for r in PROJECTS if r[3] is not None}  # the appraisal summaries
    capex = {r[0]: r[2][0] for r in PROJECTS}
    assert result["status"] == "optimal"
    assert chosen == set(result["selected"])
    assert sum(capex[t] for t, p in pids.items() if p in chosen) <= budget
    assert result["enpv_total"] == pytest.approx(best_by_search(values, capex, budget))
    assert pids["Wetlands"] not in chosen  # not appraised: left out of an ENPV objective
    assert any(p["project_id"] == pids["Wetlands"] for p in result["left_out"])
    page = staff.get(f"/bundles/{bundle_id}")
    assert page.status_code == 200
    assert "not appraised yet" in page.text and "binding" in page.text
    # What raising the budget adds is re-solved with whole projects: +10 % (EUR 1 m)
    # fits lighting and chargers (17) in place of lighting and buses (16).
    assert (
        "Raising the capex budget for 2027 by EUR 1.00 m (2024 prices) (to EUR 11.00 m) "
        "adds EUR 1.00 m of ENPV" in page.text
    )
    assert "LP relaxation" not in page.text
    assert page.text.count("<svg") == 2  # the budget curve and the frontier
    assert "Total capex budget, all years (EUR m, 2024 prices)" in page.text


def test_gap_closure_objective_scores_by_gap_size(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"], objective="gap_closure")
    budget = 10e6

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = str(int(budget))

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    with app.app_context():
        result = db.session.get(Bundle, bundle_id).result
    values = {r[0]: gap_closure(r[4], GAPS) for r in PROJECTS}
    capex = {r[0]: r[2][0] for r in PROJECTS}
    assert result["objective"] == pytest.approx(best_by_search(values, capex, budget))
    assert world["projects"]["Wetlands"] in result["selected"]  # no ENPV needed here
    for pid in result["selected"]:
        assert result["rows"][str(pid)]["gap"] == pytest.approx(
            values[next(t for t, p in world["projects"].items() if p == pid)]
        )


def test_replacement_counts_in_its_calendar_year(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])

    def fill(fields):
        fields[f"budgets-{year_index(fields, START + 1)}-amount"] = "1000000"  # buses need 2 m

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    with app.app_context():
        result = db.session.get(Bundle, bundle_id).result
    assert world["projects"]["Electric buses"] not in result["selected"]
    assert world["projects"]["Street lighting"] in result["selected"]


def test_infeasible_bundle_is_explained_with_what_to_change(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])
    pids = world["projects"]

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = "8000000"
        for title in ("Street lighting", "Chargers"):  # 6 m + 5 m forced into 8 m
            fields[f"candidates-{row_index(fields, pids[title])}-must_include"] = "y"

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    page = staff.get(f"/bundles/{bundle_id}")
    assert "No bundle fits" in page.text
    assert "Raise the capex budget for 2027 from EUR 8.00 m (2024 prices) to EUR 11.00 m" in (
        page.text
    )
    assert "Untick Must include for “Street lighting”" in page.text or (
        "Untick Must include for “Chargers”" in page.text
    )
    assert "Checked by re-solving" in page.text
    assert "Send to the city for review" not in page.text


def test_bad_input_rerenders_the_form_with_messages_and_saves_nothing(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])
    pids = world["projects"]

    def negative(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = "-5"
        fields["name"] = "Typed name"

    answer = save_edit(staff, bundle_id, negative)
    assert answer.status_code == 400
    assert "cannot be negative" in answer.text and 'value="Typed name"' in answer.text

    def both(fields):
        i = row_index(fields, pids["Chargers"])
        fields[f"candidates-{i}-must_include"] = fields[f"candidates-{i}-must_exclude"] = "y"

    answer = save_edit(staff, bundle_id, both)
    assert answer.status_code == 400 and "Forced both in and out" in answer.text

    def self_pair(fields):
        fields["pairs-0-first"] = fields["pairs-0-second"] = str(pids["Chargers"])

    answer = save_edit(staff, bundle_id, self_pair)
    assert answer.status_code == 400 and "two different projects" in answer.text

    def cycle(fields):
        a, b = str(pids["Chargers"]), str(pids["Electric buses"])
        fields.update({"pairs-0-first": a, "pairs-0-second": b, "pairs-1-first": b,
                       "pairs-1-second": a})  # fmt: skip

    answer = save_edit(staff, bundle_id, cycle)
    assert answer.status_code == 400 and "cycle" in answer.text
    with app.app_context():
        bundle = db.session.get(Bundle, bundle_id)
        assert bundle.version == 1 and bundle.name == "Karmoy 2027" and not bundle.limits


def test_rules_pairs_and_sector_limits_are_kept_and_applied(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])
    pids = world["projects"]

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = "20000000"
        fields.update({"pairs-0-first": str(pids["Street lighting"]), "pairs-0-relation": "needs",
                       "pairs-0-second": str(pids["Chargers"]),
                       "pairs-1-first": str(pids["Chargers"]), "pairs-1-relation": "excludes",
                       "pairs-1-second": str(pids["Electric buses"]),
                       "sector_rules-0-sector_id": str(world["sectors"]["mobility"]),
                       "sector_rules-0-bound": "max", "sector_rules-0-amount": "1",
                       "sector_rules-0-unit": "projects"})  # fmt: skip

    assert save_edit(staff, bundle_id, fill).status_code == 302
    with app.app_context():
        bundle = db.session.get(Bundle, bundle_id)
        assert bundle.rules["requires"] == [[pids["Street lighting"], pids["Chargers"]]]
        kinds = sorted(lim.kind.value for lim in bundle.limits)
        assert kinds == ["budget", "sector_max"]
    edit = staff.get(f"/bundles/{bundle_id}/edit")
    assert form_on(edit)["sector_rules-0-amount"].startswith("1")
    optimise(staff, bundle_id)
    with app.app_context():
        chosen = set(db.session.get(Bundle, bundle_id).result["selected"])
    # lighting needs chargers; chargers exclude buses; one mobility project at most
    assert {pids["Street lighting"], pids["Chargers"]} <= chosen
    assert pids["Electric buses"] not in chosen
