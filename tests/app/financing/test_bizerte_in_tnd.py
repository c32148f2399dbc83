"""Issue 15, end to end: a project in Bizerte appraised in Tunisian dinars on the World
Bank's parameter set with a 2026 price base, its financing plan balanced each year with
DSCR and the city's affordability, and the pipeline's totals in one currency."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.api.tokens import create_token_for
from app.core.extensions import db
from app.financing.service import save_plan
from app.models import City, Sector, User
from app.seeding import seed_database
from tests.app.conftest import PASSWORD
from tests.app.financing.conftest import hand_terms


def test_a_bizerte_project_in_tnd_on_the_world_bank_set_with_a_balanced_plan(app, client, login):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        bizerte = db.session.scalar(select(City.id).where(City.slug == "bizerte-tn"))
        sector = db.session.scalar(select(Sector.id).order_by(Sector.position))
        staff = {"Authorization": f"Bearer {create_token_for('staff@example.org', 't').secret}"}
    body = {
        "city_id": bizerte, "sector_id": sector, "title": "Bizerte water loss reduction",
        "delivery_model": "public", "currency": "TND", "price_base_year": 2026,
        "price_basis": "real", "start_year": 2027, "horizon_years": 6,
    }  # fmt: skip
    made = client.post("/api/v1/projects", json=body, headers=staff)
    assert made.status_code == 201, made.json
    project = made.json["id"]
    lines = [{"year": 0, "kind": "capex", "amount": 600_000}]
    lines += [{"year": 1, "kind": "capex", "amount": 400_000}]
    for year in range(2, 6):
        lines += [
            {"year": year, "kind": "revenue", "amount": 250_000},
            {"year": year, "kind": "opex_fixed", "amount": 50_000},
            {"year": year, "kind": "co2_tonnes", "amount": 300},
        ]
    put = client.put(
        f"/api/v1/projects/{project}/cashflows",
        json={"version": made.json["version"], "lines": lines},
        headers=staff,
    )
    assert put.status_code == 200, put.json

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        save_plan(user, project, 0, hand_terms())

    run = client.post(f"/api/v1/projects/{project}/runs", json={}, headers=staff)
    assert run.status_code == 201, run.json
    assert run.json["parameter_set"].startswith("World Bank")  # Tunisia's default set
    inputs, results = run.json["inputs"], run.json["results"]
    text = json.dumps(inputs) + json.dumps(results)
    assert "TND" in text
    assert "carried forward" in text  # the 2026 price base is built on a stated assumption
    plan = results["financing_plan"]
    assert plan["currency"] == "TND" and plan["price_base_year"] == 2026
    assert plan["total_sources"] == plan["total_uses"]  # balanced in every year
    assert sum(plan["uses"]["capex"]) == 1_000_000
    assert [round(d, 4) for d in plan["dscr"][2:]] == [10.0, 1.0714, 1.1111, 1.1538]
    assert plan["min_dscr"] == min(plan["dscr"][2:])
    afford = plan["affordability"]
    assert afford["threshold"] == 0.15 and afford["failing_years"] == [2030, 2031, 2032]

    login("staff@example.org", PASSWORD)
    board = client.get("/pipeline?currency=EUR")
    assert board.status_code == 200
    assert "TND" in board.text and "EUR" in board.text
