"""Bundles: optimising a city's candidates under budgets, in the browser's own forms.

The helpers here (a small world of two cities, clients per account, a form reader)
are shared by the other bundle and review test modules.
"""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AppraisalRun,
    Bundle,
    CashFlowLine,
    City,
    Country,
    Direction,
    FlowKind,
    Kpi,
    KpiTarget,
    KpiValue,
    Partner,
    PartnerKind,
    Project,
    Sector,
    Stage,
)
from app.services.accounts import create_user
from appraisal.kpi_gaps import gap_closure
from tests.app.conftest import PASSWORD, csrf_token

GAPS = {"K1": 0.6, "K2": 0.1}  # city A: value 40 and 90 against a target of 100
# title, sector, capex by year offset (replacement in year 1 for the buses), ENPV, KPIs
PROJECTS = [
    ("Street lighting", "energy", {0: 6e6}, 10e6, ["K2"]),
    ("Chargers", "mobility", {0: 5e6}, 7e6, ["K1"]),
    ("Electric buses", "mobility", {0: 4e6, 1: 2e6}, 6e6, ["K1", "K2"]),
    ("Wetlands", "energy", {0: 1e6}, None, ["K1"]),  # not appraised yet
]
START = 2027


def build_world(app) -> dict:
    """Two cities, two sectors, KPI gaps, four projects in city A (one not appraised, one
    more dropped), one in city B, and an account of each role."""
    with app.app_context():
        country = Country(iso2="NO", iso3="NOR", name="Norway", income_group="High income")
        city_a = City(slug="karmoy-no", name="Karmoy", country=country)
        city_b = City(slug="asker-no", name="Asker", country=country)
        energy = Sector(slug="energy", name="Energy", position=1)
        mobility = Sector(slug="mobility", name="Urban Mobility", position=2)
        sectors = {"energy": energy, "mobility": mobility}
        db.session.add_all([country, city_a, city_b, energy, mobility])
        db.session.flush()
        kpis = {}
        for code, value in (("K1", 40.0), ("K2", 90.0)):
            kpi = Kpi(code=code, name=f"KPI {code}", dimension="Economy", category="ICT",
                      direction=Direction.HIGHER, unit="%")  # fmt: skip
            kpis[code] = kpi
            db.session.add_all(
                [
                    KpiTarget(kpi=kpi, value=100.0, direction=Direction.HIGHER, unit="%"),
                    KpiValue(city_id=city_a.id, kpi=kpi, year=2024, value=value, unit="%"),
                ]
            )
        ids = {}
        for title, sector, capex, enpv, codes in PROJECTS:
            project = Project(title=title, city=city_a, sector=sectors[sector],
                              price_base_year=2024, start_year=START,
                              kpis=[kpis[c] for c in codes])  # fmt: skip
            for offset, amount in capex.items():
                kind = FlowKind.CAPEX if offset == 0 else FlowKind.REPLACEMENT
                project.cash_flows.append(CashFlowLine(year=offset, kind=kind, amount=amount))
            project.cash_flows.append(CashFlowLine(year=2, kind=FlowKind.OPEX_FIXED, amount=1e5))
            db.session.add(project)
            if enpv is not None:
                db.session.add(_run(project, enpv))
            ids[title] = project
        dropped = Project(
            title="Dropped idea",
            city=city_a,
            sector=energy,
            start_year=START,
            price_base_year=2024,
            stage=Stage.DROPPED,
            dropped_reason="gone",
        )
        other = Project(
            title="Asker metro",
            city=city_b,
            sector=mobility,
            price_base_year=2024,
            start_year=START,
        )
        partner = Partner(slug="acme", name="Acme", kind=PartnerKind.TECHNOLOGY_COMPANY)
        db.session.add_all([dropped, other, partner])
        db.session.commit()
        create_user("staff@example.org", PASSWORD, "staff")
        create_user("city@example.org", PASSWORD, "city", city_slug="karmoy-no")
        create_user("asker@example.org", PASSWORD, "city", city_slug="asker-no")
        create_user("partner@example.org", PASSWORD, "partner", partner_slug="acme")
        return {
            "city_a": city_a.id,
            "city_b": city_b.id,
            "projects": {title: p.id for title, p in ids.items()},
            "dropped": dropped.id,
            "other": other.id,
            "sectors": {k: s.id for k, s in sectors.items()},
        }


def _run(project, enpv: float) -> AppraisalRun:
    summary = {"enpv": enpv, "currency": "EUR", "price_base_year": 2024, "verdict": "accept"}
    return AppraisalRun(project=project, parameter_set="EU 2014-2020", engine_version="test",
                        inputs={}, results={"summary": summary})  # fmt: skip


def signed_in(app, email: str):
    """A test client of its own, signed in as ``email``."""
    client = app.test_client()
    token = csrf_token(client.get("/login"))
    answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, answer.text
    return client


class _Forms(HTMLParser):
    """What a browser would submit from each form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.fields: dict | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.fields = {}
            self.forms.append({"action": a.get("action") or "", "fields": self.fields})
        elif self.fields is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") != "submit":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "y")
            else:
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select:
            if self.select not in self.fields or "selected" in a:
                self.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.fields[a.get("name")] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.fields = None


def form_on(page, action_part: str = "") -> dict:
    """The fields of the first form whose action contains ``action_part``."""
    parser = _Forms()
    parser.feed(page.text)
    for form in parser.forms:
        if "logout" in form["action"] or "csrf_token" not in form["fields"]:
            continue
        if action_part in form["action"]:
            return dict(form["fields"])
    raise AssertionError(f"no form with action {action_part!r} on the page")


def row_index(fields: dict, project_id: int) -> int:
    for key, value in fields.items():
        if (
            key.startswith("candidates-")
            and key.endswith("-project_id")
            and value == str(project_id)
        ):
            return int(key.split("-")[1])
    raise AssertionError(f"project {project_id} is not on the edit form")


def year_index(fields: dict, year: int) -> int:
    for key, value in fields.items():
        if key.startswith("budgets-") and key.endswith("-year") and value == str(year):
            return int(key.split("-")[1])
    raise AssertionError(f"no budget field for {year}")


def new_bundle(client, city_id: int, objective: str = "enpv", name: str = "Karmoy 2027") -> int:
    fields = form_on(client.get("/bundles/new"))
    fields.update(city_id=str(city_id), name=name, objective=objective, enpv_weight="50")
    answer = client.post("/bundles/new", data=fields)
    assert answer.status_code == 302, answer.text
    return int(answer.headers["Location"].split("/")[2])


def save_edit(client, bundle_id: int, change) -> object:
    """Open the edit form, let ``change(fields)`` fill it, post it."""
    fields = form_on(client.get(f"/bundles/{bundle_id}/edit"), "")
    change(fields)
    return client.post(f"/bundles/{bundle_id}/edit", data=fields)


def optimise(client, bundle_id: int):
    fields = form_on(client.get(f"/bundles/{bundle_id}"), "optimise")
    return client.post(f"/bundles/{bundle_id}/optimise", data=fields)


def best_by_search(values: dict, costs: dict, budget: float, forced=()) -> float:
    """The best total value by trying every subset (the reference for small cases)."""
    best = -1.0
    names = list(values)
    for size in range(len(names) + 1):
        for subset in itertools.combinations(names, size):
            if set(forced) - set(subset):
                continue
            if sum(costs[n] for n in subset) <= budget + 1e-6:
                best = max(best, sum(values[n] for n in subset))
    return best


@pytest.fixture
def world(app):
    return build_world(app)


@pytest.fixture
def staff(app, world):
    return signed_in(app, "staff@example.org")


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
    assert "Adds most if raised" in page.text and "EUR" in page.text
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
    assert "Raise the capex budget for 2027" in page.text
    assert "Untick Must include for “Street lighting”" in page.text
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
    from app.services.bundle_candidates import city_candidates
    from appraisal.price_base import convert_cost

    with app.app_context():
        project = Project(title="Dollar project", city_id=world["city_a"], currency="USD",
                          sector_id=world["sectors"]["energy"], start_year=START,
                          price_base_year=2020)  # fmt: skip
        project.cash_flows.append(CashFlowLine(year=1, kind=FlowKind.CAPEX, amount=1e6))
        run = _run(project, 2e6)
        run.results = {"summary": {"enpv": 2e6, "currency": "USD", "price_base_year": 2020}}
        db.session.add_all([project, run])
        db.session.commit()
        rows = {row.project.title: row for row in city_candidates(world["city_a"], "EUR", 2024)}
    factor = convert_cost(1.0, "USD", 2020, to_currency="EUR", to_year=2024).value
    assert factor != 1.0
    assert rows["Dollar project"].costs == {START + 1: pytest.approx(1e6 * factor)}
    assert rows["Dollar project"].enpv == pytest.approx(2e6 * factor)
    assert rows["Street lighting"].costs == {START: pytest.approx(6e6)}
