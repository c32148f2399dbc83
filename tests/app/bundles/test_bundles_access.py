"""Who sees which bundle: staff all, a city only its own once sent, a partner none."""

from __future__ import annotations

import pytest

from app.core.extensions import db
from app.models import Bundle, BundleStatus
from tests.app.bundles.bundle_world import build_world, form_on, new_bundle, signed_in


@pytest.fixture
def setting(app):
    world = build_world(app)
    staff = signed_in(app, "staff@example.org")
    draft = new_bundle(staff, world["city_a"], name="Karmoy draft")
    sent = new_bundle(staff, world["city_a"], name="Karmoy sent")
    other = new_bundle(staff, world["city_b"], name="Asker sent")
    with app.app_context():
        for bundle_id in (sent, other):
            db.session.get(Bundle, bundle_id).status = BundleStatus.SENT
        db.session.commit()
    return {"world": world, "staff": staff, "draft": draft, "sent": sent, "other": other}


def test_anonymous_visitors_are_sent_to_login(app, setting):
    client = app.test_client()
    for url in ("/bundles", f"/bundles/{setting['sent']}", "/bundles/new"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_partner_is_refused_every_bundle_page(app, setting):
    partner = signed_in(app, "partner@example.org")
    for url in ("/bundles", f"/bundles/{setting['sent']}", "/bundles/new"):
        assert partner.get(url).status_code == 403


def test_staff_see_every_bundle_and_filter_by_city(app, setting):
    staff = setting["staff"]
    page = staff.get("/bundles")
    assert all(name in page.text for name in ("Karmoy draft", "Karmoy sent", "Asker sent"))
    page = staff.get(f"/bundles?city_id={setting['world']['city_b']}")
    assert "Asker sent" in page.text and "Karmoy sent" not in page.text


def test_city_sees_only_its_own_sent_bundles(app, setting):
    city = signed_in(app, "city@example.org")
    page = city.get("/bundles")
    assert page.status_code == 200
    assert "Karmoy sent" in page.text
    assert "Karmoy draft" not in page.text  # drafts are staff work, even of its own city
    assert "Asker sent" not in page.text
    assert city.get(f"/bundles/{setting['sent']}").status_code == 200
    assert city.get(f"/bundles/{setting['draft']}").status_code == 403
    assert city.get(f"/bundles/{setting['other']}").status_code == 403
    assert "New bundle" not in page.text


def test_city_cannot_do_staff_work(app, setting):
    city = signed_in(app, "city@example.org")
    assert city.get("/bundles/new").status_code == 403
    assert city.get(f"/bundles/{setting['sent']}/edit").status_code == 403
    token = form_on(city.get(f"/bundles/{setting['sent']}"), "review")["csrf_token"]
    for action in ("optimise", "send", "revise"):
        answer = city.post(
            f"/bundles/{setting['sent']}/{action}", data={"csrf_token": token, "version": "1"}
        )
        assert answer.status_code == 403, action
