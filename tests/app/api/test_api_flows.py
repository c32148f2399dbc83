"""The scripts the API is for: a partner's, a city's and staff's, end to end."""

from __future__ import annotations

import time

from sqlalchemy import select

from app.core.extensions import db
from app.models import KpiValue, KpiValueChange


def test_a_partners_script_lists_opportunities_and_expresses_interest(client, world):
    partner = world["headers"]["partner"]
    page = client.get("/api/v1/opportunities?per_page=5", headers=partner)
    assert page.status_code == 200, page.json
    assert page.json["total"] >= len(page.json["items"]) > 0
    best = page.json["items"][0]
    assert 0 <= best["fit"] <= 1 and best["reasons"], best
    assert best["project"]["currency"] and best["project"]["price_base_year"]
    project_id = best["project"]["id"]

    detail = client.get(f"/api/v1/opportunities/{project_id}", headers=partner)
    assert detail.status_code == 200 and detail.json["interest_status"] is None

    message = "We deliver this kind of system in three Nordic cities; can we talk?"
    made = client.post(
        f"/api/v1/opportunities/{project_id}/interests", json={"message": message}, headers=partner
    )
    assert made.status_code == 201, made.json
    assert made.json["project_id"] == project_id and made.json["status"] == "submitted"

    again = client.post(
        f"/api/v1/opportunities/{project_id}/interests", json={"message": message}, headers=partner
    )
    assert again.status_code == 400
    assert again.mimetype == "application/problem+json"
    assert "already expressed interest" in again.json["detail"]

    short = client.post(
        f"/api/v1/opportunities/{project_id}/interests", json={"message": "hi"}, headers=partner
    )
    assert short.status_code == 400 and "20 to 2,000 characters" in short.json["detail"]

    mine = client.get("/api/v1/interests", headers=partner)
    assert [i["project_id"] for i in mine.json["items"]] == [project_id]


def test_opportunity_filters_are_the_pages_filters(client, world):
    partner = world["headers"]["partner"]
    everything = client.get("/api/v1/opportunities?per_page=100", headers=partner).json
    sector = everything["items"][0]["project"]["sector_id"]
    some = client.get(f"/api/v1/opportunities?per_page=100&sector={sector}", headers=partner)
    assert some.status_code == 200
    assert {o["project"]["sector_id"] for o in some.json["items"]} == {sector}
    assert some.json["total"] <= everything["total"]
    swapped = client.get("/api/v1/opportunities?capex_min=10&capex_max=1", headers=partner)
    assert swapped.status_code == 422
    assert swapped.json["errors"]["capex_max"] == [
        "The upper bound is below the lower bound; swap them."
    ]


def test_a_citys_script_pushes_its_kpi_values_all_or_nothing(app, client, world):
    city = world["headers"]["city"]
    url = f"/api/v1/cities/{world['karmoy']}/kpis"
    values = [
        {"kpi_code": "EC: ICT: ICT: 1C", "year": 2026, "value": 98.5, "unit": "%",
         "source": "Statistics Norway, table 11000 (test)"},
        {"kpi_code": "EN: EN: AQ: 1C", "data_point": "PM2.5", "year": 2026, "value": 6.1,
         "unit": "µg/m³", "source": "NILU (test)"},
    ]  # fmt: skip
    dry = client.post(url, json={"values": values, "dry_run": True}, headers=city)
    assert dry.status_code == 200, dry.json
    assert dry.json == {"counts": dry.json["counts"], "written": 0, "dry_run": True}
    assert dry.json["counts"]["new"] + dry.json["counts"]["changed"] == 2
    with app.app_context():
        assert not db.session.scalar(
            select(KpiValue).where(KpiValue.year == 2026, KpiValue.city_id == world["karmoy"])
        )

    done = client.post(url, json={"values": values}, headers=city)
    assert done.status_code == 200 and done.json["written"] == 2, done.json
    read = client.get(f"{url}?year=2026", headers=city).json["values"]
    assert {(v["kpi_code"], v["value"]) for v in read} >= {
        ("EC: ICT: ICT: 1C", 98.5),
        ("EN: EN: AQ: 1C", 6.1),
    }
    with app.app_context():
        vias = db.session.scalars(select(KpiValueChange.via).where(KpiValueChange.year == 2026))
        assert set(vias) == {"API (city@example.org)"}

    same = client.post(url, json={"values": values}, headers=city)
    assert same.json["written"] == 0 and same.json["counts"]["unchanged"] == 2

    bad = [*values[:1], {"kpi_code": "NOPE", "year": 2026, "value": 1}]
    bad[0] = bad[0] | {"value": 12.0}
    refused = client.post(url, json={"values": bad}, headers=city)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert list(refused.json["errors"]) == ["values.1.kpi_code"], refused.json
    assert client.get(f"{url}?year=2026", headers=city).json["values"][0]["value"] != 12.0

    elsewhere = f"/api/v1/cities/{world['other_city']}/kpis"
    assert client.post(elsewhere, json={"values": values}, headers=city).status_code == 403
    partner = world["headers"]["partner"]
    assert client.post(url, json={"values": values}, headers=partner).status_code == 403


def _wait_for(client, headers, job_url: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(job_url, headers=headers).json
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"the job did not finish in {seconds} s: {job}")


def test_staff_start_an_appraisal_and_follow_its_job(client, world):
    staff = world["headers"]["staff"]
    project = world["draft"]
    now = client.post(f"/api/v1/projects/{project}/runs", json={}, headers=staff)
    assert now.status_code == 201, now.json
    assert now.json["parameter_set"] and now.json["summary"]
    assert now.json["inputs"] and now.json["results"]

    large = client.post(
        f"/api/v1/projects/{project}/runs", json={"draws": 10_000, "seed": 7}, headers=staff
    )
    assert large.status_code == 202, large.json
    assert large.headers["Location"] == f"/api/v1/jobs/{large.json['id']}"
    job = _wait_for(client, staff, large.headers["Location"])
    assert job["status"] == "done", job
    run_id = job["result"]["run_id"]

    runs = client.get(f"/api/v1/projects/{project}/runs", headers=staff).json
    assert runs["items"][0]["id"] == run_id and runs["total"] >= 2
    run = client.get(f"/api/v1/projects/{project}/runs/{run_id}", headers=staff).json
    assert run["inputs"]["monte_carlo"]["draws"] == 10_000

    refused = client.post(
        f"/api/v1/projects/{project}/runs", json={"financial_rate_pct": 95}, headers=staff
    )
    assert refused.status_code == 422
    assert "between -5 and 30" in refused.json["errors"]["financial_rate_pct"][0]
    taxed = client.post(
        f"/api/v1/projects/{project}/runs",
        json={"vat_rate_pct": 25, "vat_recoverable": "no", "receivable_days": 30},
        headers=staff,
    )
    assert taxed.status_code == 201, taxed.json
    assert taxed.json["results"]["methods"]["taxes"]["terms"]["vat_rate"]["value"] == 0.25
    refused = client.post(
        f"/api/v1/projects/{project}/runs", json={"payable_days": 400}, headers=staff
    )
    assert refused.status_code == 422
    assert "between 0 and 365" in refused.json["errors"]["payable_days"][0]
    city = world["headers"]["city"]
    assert client.post(f"/api/v1/projects/{project}/runs", json={}, headers=city).status_code == 403
    assert client.get(large.headers["Location"], headers=city).status_code == 403


def test_projects_are_created_and_updated_with_the_forms_checks(client, world):
    staff = world["headers"]["staff"]
    sector = client.get(f"/api/v1/projects/{world['draft']}", headers=staff).json["sector_id"]
    body = {
        "city_id": world["karmoy"], "sector_id": sector, "title": "Smart water meters",
        "delivery_model": "public", "currency": "EUR", "price_base_year": 2024,
        "price_basis": "real", "start_year": 2027, "horizon_years": 15,
        "risks": ["meter supply", "data protection"],
        "creation_key": "0123456789abcdef0123456789abcdef",
    }  # fmt: skip
    made = client.post("/api/v1/projects", json=body, headers=staff)
    assert made.status_code == 201, made.json
    assert made.json["stage"] == "formulated" and made.json["version"] == 1
    twice = client.post("/api/v1/projects", json=body, headers=staff)
    assert twice.json["id"] == made.json["id"]  # the same creation key: the same project

    url = f"/api/v1/projects/{made.json['id']}"
    changed = client.patch(url, json={"version": 1, "horizon_years": 20}, headers=staff)
    assert changed.status_code == 200 and changed.json["horizon_years"] == 20
    assert changed.json["title"] == "Smart water meters"  # what was not sent is kept
    stale = client.patch(url, json={"version": 1, "title": "Late"}, headers=staff)
    assert stale.status_code == 409 and "changed by someone else" in stale.json["detail"]
    wrong = client.patch(
        url, json={"version": changed.json["version"], "horizon_years": 500}, headers=staff
    )
    assert wrong.status_code == 422 and "2 to 60" in wrong.json["errors"]["horizon_years"][0]
    assert client.get(url, headers=staff).json["horizon_years"] == 20

    city = world["headers"]["city"]
    assert client.post("/api/v1/projects", json=body, headers=city).status_code == 403
    assert client.patch(url, json={"version": 2}, headers=city).status_code == 403


def test_cash_flows_are_read_and_replaced_whole(client, world):
    staff = world["headers"]["staff"]
    url = f"/api/v1/projects/{world['draft']}/cashflows"
    table = client.get(url, headers=staff).json
    assert table["currency"] and table["price_basis"] in ("real", "nominal")
    lines = [
        {"year": 0, "kind": "capex", "amount": 1_000_000},
        {"year": 1, "kind": "opex_fixed", "amount": 25_000.5},
        {"year": 1, "kind": "revenue", "amount": 90_000},
    ]
    put = client.put(url, json={"version": table["version"], "lines": lines}, headers=staff)
    assert put.status_code == 200, put.json
    assert [(x["year"], x["kind"], x["amount"]) for x in put.json["lines"]] == [
        (0, "capex", 1_000_000.0),
        (1, "opex_fixed", 25_000.5),
        (1, "revenue", 90_000.0),
    ]
    assert put.json["version"] > table["version"]
    stale = client.put(url, json={"version": table["version"], "lines": lines}, headers=staff)
    assert stale.status_code == 409
    negative = client.put(
        url,
        json={
            "version": put.json["version"],
            "lines": [{"year": 0, "kind": "capex", "amount": -5}],
        },
        headers=staff,
    )
    assert negative.status_code == 400 and "negative" in negative.json["detail"]
    assert list(negative.json["errors"]) == ["y0_capex"]
    huge = client.put(
        url,
        json={
            "version": put.json["version"],
            "lines": [{"year": 0, "kind": "capex", "amount": 1e30}],
        },
        headers=staff,
    )
    assert huge.status_code == 400 and "out of range" in huge.json["detail"]
    twice = client.put(
        url, json={"version": put.json["version"], "lines": lines + lines[:1]}, headers=staff
    )
    assert twice.status_code == 400 and "given twice" in twice.json["detail"]
    assert client.get(url, headers=staff).json["lines"] == put.json["lines"]


def test_a_draft_bundle_is_optimised_with_its_version(client, world):
    staff = world["headers"]["staff"]
    url = f"/api/v1/bundles/{world['bundle']}"
    bundle = client.get(url, headers=staff).json
    assert bundle["currency"] and bundle["items"]
    if bundle["status"] != "draft":
        return  # the demo bundle is sent; optimising it is refused below
    done = client.post(f"{url}/optimise", json={"version": bundle["version"]}, headers=staff)
    assert done.status_code == 200, done.json
    assert done.json["result"] and any(i["selected"] for i in done.json["items"])
    stale = client.post(f"{url}/optimise", json={"version": bundle["version"]}, headers=staff)
    assert stale.status_code == 409
