"""A small world of two cities for the bundle tests, clients per account, a form reader.

Shared by the bundle and review test modules; the fixtures ``world`` and ``staff`` are in
this folder's conftest.py.
"""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

from app.accounts.service import create_user
from app.core.extensions import db
from app.models import (
    AppraisalRun,
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
                db.session.add(appraised(project, enpv))
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


def appraised(project, enpv: float) -> AppraisalRun:
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
