"""Partners register themselves, staff approve or refuse, partners keep their profile."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog, Partner, PartnerStatus, User
from app.seeding.runner import seed_database
from tests.app.conftest import PASSWORD, csrf_token


@pytest.fixture
def reference(app, make_user):
    with app.app_context():
        seed_database()
    make_user("staff@example.org", "staff")


def registration(client, **changes) -> dict:
    page = client.get("/register")
    data = {
        "csrf_token": csrf_token(page),
        "name": "Fjord Pension Infrastructure",
        "kind": "international_investor",
        "country": "NO",
        "countries": "no, SE dk",
        "sectors": ["energy", "renewable-energy"],
        "capabilities": ["project-finance", "green-bonds"],
        "capabilities_other": "long-term holds of operating assets",
        "instruments": ["equity", "loan"],
        "delivery_models": ["ppp_availability"],
        "ticket_min": "5 000 000",
        "ticket_max": "50000000",
        "ticket_currency": "eur",
        "risk_appetite": "low",
        "capacity": "4",
        "description": "A pension fund investing in Nordic infrastructure.",
        "contact_name": "Ingrid Dahl",
        "email": "ingrid@fjordpension.example",
        "password": "long enough password",
        "password_again": "long enough password",
    }
    data.update(changes)
    return client.post("/register", data=data)


def sign_in(client, email, password):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client.get("/login"))},
    )


def test_a_partner_registers_waits_for_review_and_is_approved(app, client, login, reference):
    done = registration(client)
    assert done.status_code == 200 and "waits for review" in done.text
    with app.app_context():
        partner = db.session.scalar(select(Partner).where(Partner.name.like("Fjord%")))
        user = db.session.scalar(select(User).where(User.email == "ingrid@fjordpension.example"))
        assert partner.status is PartnerStatus.PENDING and not user.active
        assert {c.iso2 for c in partner.countries} == {"NO", "SE", "DK"}
        assert partner.instruments == ["equity", "loan"] and partner.ticket_currency == "EUR"
        assert float(partner.ticket_min) == 5_000_000
        partner_id = partner.id
    assert (
        "/logout" not in sign_in(client, "ingrid@fjordpension.example", "long enough password").text
    )

    login("staff@example.org", PASSWORD)
    queue = client.get("/partners/applications")
    assert "Fjord Pension Infrastructure" in queue.text and "Project finance" in queue.text
    token = csrf_token(queue)
    refused = client.post(
        f"/partners/{partner_id}/review", data={"csrf_token": token, "decision": "refused"}
    )
    assert "Say why" in client.get(refused.headers["Location"]).text
    client.post(
        f"/partners/{partner_id}/review",
        data={"csrf_token": token, "decision": "approved", "reason": ""},
    )
    with app.app_context():
        assert db.session.get(Partner, partner_id).status is PartnerStatus.APPROVED
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "approved"))
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    signed = sign_in(client, "ingrid@fjordpension.example", "long enough password")
    assert signed.status_code == 302
    page = client.get(f"/partners/{partner_id}")
    assert "Fjord Pension Infrastructure" in page.text and "Edit the profile" in page.text
    assert "5,000,000 to 50,000,000 EUR" in page.text


def test_bad_registrations_say_what_is_wrong_and_keep_what_was_typed(app, client, reference):
    bad_country = registration(client, countries="NO, XX")
    assert bad_country.status_code == 400 and "Unknown country codes: XX" in bad_country.text
    assert 'value="Fjord Pension Infrastructure"' in bad_country.text
    swapped = registration(client, ticket_min="60000000")
    assert swapped.status_code == 400 and "smallest ticket is larger" in swapped.text
    no_sector = registration(client, sectors=[])
    assert no_sector.status_code == 400 and "Tick at least one sector" in no_sector.text
    mismatch = registration(client, password_again="something else")
    assert mismatch.status_code == 400 and "two passwords differ" in mismatch.text
    assert registration(client).status_code == 200
    again = registration(client, name="Other name")
    assert again.status_code == 400 and "exists already" in again.text
    with app.app_context():
        assert len(db.session.scalars(select(Partner)).all()) == 1  # nothing half-written


def test_a_partner_edits_its_own_profile_and_no_one_elses(app, client, login, reference):
    registration(client)
    registration(
        client, name="Other Bank", email="x@otherbank.example", kind="financial_institution"
    )
    with app.app_context():
        ids = {p.name: p.id for p in db.session.scalars(select(Partner))}
        for partner in db.session.scalars(select(Partner)):
            partner.status = PartnerStatus.APPROVED
        for user in db.session.scalars(select(User)):
            user.active = True
        db.session.commit()
    own, other = ids["Fjord Pension Infrastructure"], ids["Other Bank"]
    login("ingrid@fjordpension.example", "long enough password")
    form = client.get(f"/partners/{own}/edit")
    assert form.status_code == 200 and 'value="no, SE dk"' not in form.text
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form.text).group(1)
    data = {
        "csrf_token": csrf_token(form), "version": version, "name": "Fjord Pension",
        "kind": "international_investor", "countries": "NO", "sectors": ["energy"],
        "ticket_currency": "NOK", "capacity": "2", "capabilities": ["project-finance"],
    }  # fmt: skip
    saved = client.post(f"/partners/{own}/edit", data=data)
    assert saved.status_code == 302
    stale = client.post(f"/partners/{own}/edit", data=data)
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert client.get(f"/partners/{other}/edit").status_code == 403
    public = client.get(f"/partners/{other}")
    assert public.status_code == 200 and "Risk appetite" not in public.text


def test_a_pending_partner_is_hidden_from_other_roles(app, client, login, reference, make_user):
    registration(client)
    with app.app_context():
        partner_id = db.session.scalar(select(Partner.id))
    make_user("city@example.org", "city", city_slug="karmoy-no")
    login("city@example.org", PASSWORD)
    assert client.get(f"/partners/{partner_id}").status_code == 404
    assert client.get("/partners/applications").status_code == 403
