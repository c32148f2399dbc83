"""Bundles: conflicts, the new-bundle form, opex and sector money rules, the mixed
objective and currencies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import Bundle, CashFlowLine, FlowKind, Project
from appraisal.analysis.kpi_gaps import gap_closure
from tests.app.bundles.bundle_world import (
    GAPS,
    PROJECTS,
    START,
    appraised,
    best_by_search,
    form_on,
    new_bundle,
    optimise,
    save_edit,
    year_index,
)


def test_stale_version_on_optimise_and_save_is_a_conflict(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])
    stale_edit = form_on(staff.get(f"/bundles/{bundle_id}/edit"))
    stale_action = form_on(staff.get(f"/bundles/{bundle_id}"), "optimise")
    assert save_edit(staff, bundle_id, lambda f: f.update(name="Fresh")).status_code == 302
    answer = staff.post(f"/bundles/{bundle_id}/optimise", data=stale_action)
    assert answer.status_code == 409 and "changed by someone else" in answer.text
    stale_edit["name"] = "Stale"
    answer = staff.post(f"/bundles/{bundle_id}/edit", data=stale_edit)
    assert answer.status_code == 409 and "changed by someone else" in answer.text
    assert 'value="Stale"' in answer.text  # what they typed is kept to be made again
    with app.app_context():
        assert db.session.get(Bundle, bundle_id).name == "Fresh"


def test_new_bundle_lists_every_live_project_of_the_city(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])
    edit = staff.get(f"/bundles/{bundle_id}/edit")
    for title in world["projects"]:
        assert title in edit.text
    assert "Dropped idea" not in edit.text and "Asker metro" not in edit.text
    with app.app_context():
        bundle = db.session.get(Bundle, bundle_id)
        assert {i.project_id for i in bundle.items} == set(world["projects"].values())


def test_new_bundle_form_errors(app, world, staff):
    fields = form_on(staff.get("/bundles/new"))
    fields.update(city_id=str(world["city_a"]), name="", enpv_weight="150")
    answer = staff.post("/bundles/new", data=fields)
    assert answer.status_code == 400
    assert "Give the bundle a name" in answer.text and "between 0 and 100" in answer.text
    with app.app_context():
        assert db.session.scalar(select(Bundle)) is None


def test_opex_budget_and_money_sector_minimum(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])

    def fill(fields):
        fields["opex_budget"] = "200000"  # each project runs at 100 k a year: two fit
        fields.update({"sector_rules-0-sector_id": str(world["sectors"]["mobility"]),
                       "sector_rules-0-bound": "min", "sector_rules-0-amount": "9000000",
                       "sector_rules-0-unit": "money"})  # fmt: skip

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    with app.app_context():
        result = db.session.get(Bundle, bundle_id).result
    pids = world["projects"]
    # mobility needs 9 m of capex: chargers (5 m) and buses (6 m over two years) both
    assert set(result["selected"]) == {pids["Chargers"], pids["Electric buses"]}
    opex = next(lim for lim in result["limits"] if lim["label"].startswith("operating"))
    assert opex["used"] == pytest.approx(2e5) and opex["limit"] == pytest.approx(2e5)


def test_mixed_objective_weighs_scaled_enpv_and_gap_closure(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"], objective="mix")
    budget = 10e6

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = str(int(budget))
        fields["enpv_weight"] = "25"

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    with app.app_context():
        result = db.session.get(Bundle, bundle_id).result
    appraised = [r for r in PROJECTS if r[3] is not None]
    top_enpv = max(r[3] for r in appraised)
    top_gap = max(gap_closure(r[4], GAPS) for r in appraised)
    values = {
        r[0]: 0.25 * r[3] / top_enpv + 0.75 * gap_closure(r[4], GAPS) / top_gap for r in appraised
    }
    capex = {r[0]: r[2][0] for r in appraised}
    assert result["objective"] == pytest.approx(best_by_search(values, capex, budget))
    assert world["projects"]["Wetlands"] not in result["selected"]


def test_costs_and_values_are_brought_to_the_bundles_currency(app, world):
    from app.bundles.candidates import city_candidates
    from appraisal.analysis.price_base import convert_cost

    with app.app_context():
        project = Project(title="Dollar project", city_id=world["city_a"], currency="USD",
                          sector_id=world["sectors"]["energy"], start_year=START,
                          price_base_year=2020)  # fmt: skip
        project.cash_flows.append(CashFlowLine(year=1, kind=FlowKind.CAPEX, amount=1e6))
        run = appraised(project, 2e6)
        run.results = {"summary": {"enpv": 2e6, "currency": "USD", "price_base_year": 2020}}
        db.session.add_all([project, run])
        db.session.commit()
        rows = {row.project.title: row for row in city_candidates(world["city_a"], "EUR", 2024)}
    factor = convert_cost(1.0, "USD", 2020, to_currency="EUR", to_year=2024).value
    assert factor != 1.0
    assert rows["Dollar project"].costs == {START + 1: pytest.approx(1e6 * factor)}
    assert rows["Dollar project"].enpv == pytest.approx(2e6 * factor)
    assert rows["Street lighting"].costs == {START: pytest.approx(6e6)}


@pytest.mark.parametrize("bad", ["inf", "Infinity", "1e308", "NaN", "sNaN"])
def test_a_non_finite_budget_is_refused_and_the_edit_page_keeps_working(app, world, staff, bad):
    bundle_id = new_bundle(staff, world["city_a"])

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = bad

    refused = save_edit(staff, bundle_id, fill)
    assert refused.status_code == 400 and f'value="{bad}"' in refused.text
    assert "is not a number" in refused.text or "out of range" in refused.text
    assert staff.get(f"/bundles/{bundle_id}/edit").status_code == 200
    with app.app_context():
        limits = db.session.get(Bundle, bundle_id).limits
        assert all(abs(float(limit.amount)) < 1e16 for limit in limits)
