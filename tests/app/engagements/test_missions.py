"""Missions: dates and participants, findings per KPI dimension, linked to the KPI value
changes (grid entries, imports) they produced; bad input refused; who sees what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, DataImport, Kpi, KpiValueChange, Mission
from tests.app.conftest import PASSWORD
from tests.app.engagements.conftest import post, version_on

TODAY = date.today()


def mission_form(**overrides):
    data = {
        "starts_on": (TODAY - timedelta(days=3)).isoformat(),
        "ends_on": (TODAY - timedelta(days=1)).isoformat(),
        "participants": "Ingrid Dahl, expert\nOla Nordmann, city of Karmøy\n",
    }
    data.update(overrides)
    return data


def record(client, engagement_id, **overrides):
    url = f"/engagements/{engagement_id}/missions/new"
    return post(client, url, mission_form(**overrides))


def changes(app, world, pool):
    """Two changes in Karmøy after the mission began (one by import), one before it,
    one in Bizerte."""
    with app.app_context():
        kpi = db.session.scalars(select(Kpi)).one()
        upload = DataImport(
            filename="mission.csv",
            size=10,
            sha256="a" * 64,
            file_format="long",
            digest="b" * 64,
            status="committed",
        )
        db.session.add(upload)
        db.session.flush()
        now = datetime.now(UTC)

        def change(city_id, at, value, import_id=None):
            return KpiValueChange(
                city_id=city_id,
                kpi_id=kpi.id,
                year=2025,
                action="create",
                new_value=value,
                new_unit="%",
                via=f"import {import_id} (mission.csv)" if import_id else "grid",
                import_id=import_id,
                at=at,
            )

        rows = [
            change(world.city_id, now, 41.0),
            change(world.city_id, now, 42.0, upload.id),
            change(world.city_id, now - timedelta(days=30), 20.0),
            change(world.other_city_id, now, 99.0),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def test_a_mission_records_findings_linked_to_the_values_it_produced(
    app, client, filed, pool, world
):
    response = record(client, filed)
    assert response.status_code == 302, response.text
    url = response.headers["Location"]
    ids = changes(app, world, pool)
    page = client.get(url)
    assert f'value="{ids[0]}"' in page.text and f'value="{ids[1]}"' in page.text
    assert f'value="{ids[2]}"' not in page.text  # before the mission
    assert f'value="{ids[3]}"' not in page.text  # another city
    data = {
        "version": version_on(page.text),
        "environment": "Renewables share well below target; data gaps in heat.",
        "economy": "",
        "society": "",
        "change_ids": [str(ids[0]), str(ids[1])],
    }
    response = post(client, url, data, page=url)
    assert response.status_code == 302, response.text
    page = client.get(url)
    environment = page.text.split("<h3>Environment</h3>")[1].split("</section>")[0]
    assert "Renewables share well below target" in environment
    assert "42.0 %, create via import" in environment and "import " in environment
    assert "No finding recorded." in page.text.split("<h3>Economy</h3>")[1]
    with app.app_context():
        mission = db.session.scalars(select(Mission)).one()
        assert sorted(c.id for c in mission.changes) == ids[:2]
        assert [f.dimension for f in mission.findings] == ["Environment"]
        assert (
            db.session.scalars(select(AuditLog).where(AuditLog.action == "mission_findings"))
            .one()
            .changes["changes"]["to"]
            == ids[:2]
        )
    # the engagement page lists the mission
    assert "Mission of" in client.get(f"/engagements/{filed}").text


def test_bad_mission_input_is_refused_on_its_field_and_nothing_is_saved(app, client, filed):
    cases = [
        ({"starts_on": ""}, "Give the first day"),
        ({"ends_on": "yesterday"}, "Write the date as YYYY-MM-DD"),
        ({"starts_on": "2025-12-01"}, "starts before the request (2026-01-15)"),
        (
            {"ends_on": (TODAY - timedelta(days=9)).isoformat()},
            "The last day is before the first",
        ),
        ({"participants": "  \n "}, "Name who took part"),
    ]
    for overrides, message in cases:
        response = record(client, filed, **overrides)
        assert response.status_code == 400, overrides
        assert message in response.text, overrides
    with app.app_context():
        assert db.session.scalar(select(Mission.id)) is None


def test_stale_findings_are_refused_and_foreign_values_cannot_be_linked(
    app, client, filed, pool, world
):
    url = record(client, filed).headers["Location"]
    ids = changes(app, world, pool)
    stale = version_on(client.get(url).text)
    base = {"economy": "", "environment": "", "society": "Good participation."}
    assert post(client, url, {**base, "version": stale}, page=url).status_code == 302
    response = post(client, url, {**base, "version": stale, "society": "x"}, page=url)
    assert response.status_code == 409
    fresh = version_on(client.get(url).text)
    response = post(client, url, {**base, "version": fresh, "change_ids": [str(ids[3])]}, page=url)
    assert response.status_code == 400
    assert "not the city&#39;s since the mission began" in response.text
    with app.app_context():
        mission = db.session.scalars(select(Mission)).one()
        assert mission.changes == []
        assert [f.text for f in mission.findings] == ["Good participation."]


def test_the_city_reads_its_missions_and_partners_see_none(app, client, filed, make_user):
    url = record(client, filed).headers["Location"]
    make_user("committee@example.org", role="city", city_slug="karmoy-no")
    make_user("bizerte@example.org", role="city", city_slug="bizerte-tn")
    make_user("partner@example.org", role="partner", partner_slug="acme")
    for email, status in (
        ("committee@example.org", 200),
        ("bizerte@example.org", 403),
        ("partner@example.org", 403),
    ):
        other = app.test_client()
        post(other, "/login", {"email": email, "password": PASSWORD})
        page = other.get(url)
        assert page.status_code == status, email
        if status == 200:
            assert "Ola Nordmann" in page.text and "Save the findings" not in page.text
        assert other.get(f"/engagements/{filed}/missions/new").status_code == 403
