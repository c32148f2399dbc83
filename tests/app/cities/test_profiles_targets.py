"""A city's own KPI targets: staff only, validated, audited, stale and duplicate saves refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, KpiTarget
from appraisal.analysis.kpi_gaps import attainment, band
from tests.app.cities import test_profiles
from tests.app.cities.test_profiles import WS_LOSS, WS_TARGET, kpi_row
from tests.app.conftest import PASSWORD, csrf_token

world = test_profiles.world  # the shared fixture


def form_fields(html: str) -> dict[str, str]:
    """The hidden inputs (CSRF token and stamp) of the target form, by name."""
    return dict(
        re.findall(r'<input id="[\w-]+" name="([\w-]+)" type="hidden" value="([^"]*)"', html)
    )


def own_targets(app, world):
    with app.app_context():
        return db.session.scalars(
            select(KpiTarget).where(
                KpiTarget.city_id == world["karmoy"], KpiTarget.kpi_id == world["loss"]
            )
        ).all()


def target_url(world) -> str:
    return f"/cities/{world['karmoy']}/targets/{world['loss']}"


def submit(client, world, hidden, **values):
    data = {
        "value": "30",
        "target_year": "2030",
        "direction": "lower",
        "source_title": "Municipal water plan 2024-2030, p. 12",
        "source_url": "",
        **hidden,
        **values,
    }
    return client.post(target_url(world), data=data)


def test_staff_sets_the_citys_own_target_which_then_takes_precedence(app, client, login, world):
    login("staff@example.org", PASSWORD)
    form = client.get(target_url(world))
    assert form.status_code == 200 and "Published loss benchmark" in form.text
    assert '<option selected value="lower">' in form.text  # the published direction
    saved = submit(client, world, form_fields(form.text))
    assert saved.status_code == 302 and f"#kpi-{world['loss']}" in saved.headers["Location"]
    [target] = own_targets(app, world)
    assert target.value == 30 and target.target_year == 2030 and target.confidence == "city-set"
    profile = client.get(f"/cities/{world['karmoy']}").text
    row = kpi_row(profile, world["loss"])
    share, _ = attainment(WS_LOSS, 30.0, "lower", unit="%")
    assert "city's own" in row and f"{band(share)} of 4 points" in row
    assert "Municipal water plan" in row
    with app.app_context():
        audit = db.session.scalars(select(AuditLog).where(AuditLog.entity == "kpi_target")).all()
        assert [a.action for a in audit] == ["create"]
        assert audit[0].changes["to"]["value"] == 30 and audit[0].changes["from"] is None


def test_invalid_target_is_refused_field_by_field_keeping_what_was_typed(app, client, login, world):
    login("staff@example.org", PASSWORD)
    hidden = form_fields(client.get(target_url(world)).text)
    response = submit(client, world, hidden, value="thirty", source_title="", target_year="20x0")
    assert response.status_code == 400
    assert "thirty&#39; is not a number: enter a number" in response.text
    assert "Say where the target comes from" in response.text
    assert "20x0&#39; is not a number: enter a whole number from 1900 to 2200" in response.text
    assert 'value="thirty"' in response.text and 'value="20x0"' in response.text
    assert own_targets(app, world) == []


def test_a_second_form_opened_before_the_first_save_is_refused(app, client, login, world):
    login("staff@example.org", PASSWORD)
    first = form_fields(client.get(target_url(world)).text)
    second = form_fields(client.get(target_url(world)).text)
    assert submit(client, world, first, value="30").status_code == 302
    duplicate = submit(client, world, second, value="10")
    assert duplicate.status_code == 409
    assert "Someone else set a target" in duplicate.text and 'value="10"' in duplicate.text
    assert [t.value for t in own_targets(app, world)] == [30]


def test_a_stale_edit_and_a_stale_removal_are_refused(app, client, login, world):
    login("staff@example.org", PASSWORD)
    submit(client, world, form_fields(client.get(target_url(world)).text), value="30")
    old = form_fields(client.get(target_url(world)).text)
    assert submit(client, world, old, value="25").status_code == 302  # stamp moves on
    stale = submit(client, world, old, value="28")
    assert stale.status_code == 409 and "changed or removed by someone else" in stale.text
    removal = client.post(f"{target_url(world)}/remove", data={"remove-stamp": old["stamp"], **old})
    assert removal.status_code == 409
    assert [t.value for t in own_targets(app, world)] == [25]


def test_removing_the_citys_target_restores_the_published_one(app, client, login, world):
    login("staff@example.org", PASSWORD)
    submit(client, world, form_fields(client.get(target_url(world)).text))
    page = client.get(target_url(world)).text
    assert "Remove the city" in page
    removed = client.post(f"{target_url(world)}/remove", data=form_fields(page))
    assert removed.status_code == 302 and own_targets(app, world) == []
    row = kpi_row(client.get(f"/cities/{world['karmoy']}").text, world["loss"])
    share, _ = attainment(WS_LOSS, WS_TARGET, "lower", unit="%")
    assert "Published loss benchmark" in row and f"{band(share)} of 4 points" in row
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "kpi_target").order_by(AuditLog.id)
        ).all()
        assert actions == ["create", "delete"]


@pytest.mark.parametrize("email", ["city@example.org", "partner@example.org"])
def test_city_and_partner_may_not_edit_targets(app, client, login, world, email):
    login(email, PASSWORD)
    assert client.get(target_url(world)).status_code == 403
    token = csrf_token(client.get("/"))
    posted = client.post(
        target_url(world),
        data={"csrf_token": token, "value": "1", "target_year": "2030", "direction": "lower"},
    )
    assert posted.status_code == 403
    removal = client.post(f"{target_url(world)}/remove", data={"csrf_token": token})
    assert removal.status_code == 403
    assert own_targets(app, world) == []
