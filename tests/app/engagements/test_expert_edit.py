"""Staff edit an expert of the pool: fields, countries, languages and availability,
checked on their fields (nothing half-saved) and audited; others may not."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, Expert
from tests.app.conftest import csrf_token
from tests.app.engagements.conftest import post, version_on


def edit(client, expert_id, **fields):
    url = f"/experts/{expert_id}/edit"
    data = {
        "name": "Ingrid Dahl",
        "organisation": "Nordic energy",
        "sectors": ["renewable-energy"],
        "dimensions": ["Environment"],
        "countries": "NO",
        "languages": "no; en",
        "days_per_year": "60",
        "days_per_engagement": "20",
        "past_engagements": "",
    } | fields
    token = csrf_token(client.get(url))
    return client.post(url, data=data | {"csrf_token": token})


def test_staff_edit_an_expert_with_checks_and_audit(app, client, filed, pool):
    ingrid = pool["ingrid"]
    url = f"/engagements/{filed}/team"
    team = {"version": version_on(client.get(url).text), "expert_ids": [ingrid]}
    assert post(client, url, team, page=url).status_code == 302  # 20 days this year
    cases = (
        ({"countries": "NO; XX"}, "Unknown country code: XX"),
        ({"languages": "norsk"}, "&#39;norsk&#39; is not a language code"),
        ({"days_per_year": "10"}, "confirmed for 20 days"),
        ({"days_per_engagement": "0"}, "from 1 to 366 days"),
        ({"days_per_year": "lots"}, "is not a number"),
        ({"sectors": ["astrology"]}, "Unknown sector: astrology"),
        ({"name": ""}, "Give the expert"),
    )
    for change, message in cases:
        response = edit(client, ingrid, **change)
        assert response.status_code == 400, change
        assert message in response.text, (change, response.text[-3000:])
    with app.app_context():
        assert db.session.get(Expert, ingrid).languages == ["no", "en"]
    response = edit(client, ingrid, countries="no, tn", languages="NO EN da", days_per_year="80")
    assert response.status_code == 302, response.text
    with app.app_context():
        expert = db.session.get(Expert, ingrid)
        assert expert.countries == ["NO", "TN"] and expert.languages == ["da", "en", "no"]
        assert expert.days_per_year == 80
        audit = db.session.scalars(select(AuditLog).where(AuditLog.entity == "expert")).one()
        assert audit.changes["days_per_year"] == {"from": 60, "to": 80}
    assert "Edit Ingrid Dahl" in client.get("/experts").text


def test_only_staff_edit_experts(app, filed, pool, make_user, world):
    make_user("c@example.org", role="city", city_slug="karmoy-no")
    city = app.test_client()
    token = csrf_token(city.get("/login"))
    from tests.app.conftest import PASSWORD

    login = {"email": "c@example.org", "password": PASSWORD, "csrf_token": token}
    assert city.post("/login", data=login).status_code == 302
    assert city.get(f"/experts/{pool['ingrid']}/edit").status_code == 403
