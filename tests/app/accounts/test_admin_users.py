"""Staff manage accounts on /admin/users: invitations by link, deactivation, roles."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from app.core.extensions import db
from app.models import AuditLog, Invitation, Partner, PartnerKind, Role, User
from app.models.base import utcnow
from tests.app.conftest import PASSWORD, csrf_token

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def staff(make_user, login):
    """The signed-in staff member (staff@example.org) on ``client``."""
    user = make_user()
    login("staff@example.org")
    return user


def invite(client, **fields):
    page = client.get("/admin/users/invite")
    assert page.status_code == 200
    data = {"email": "member@karmoy.example", "name": "Kari Nordmann", "role": "city",
            "city": "", "partner": ""} | fields  # fmt: skip
    return client.post("/admin/users/invite", data=data | {"csrf_token": csrf_token(page)})


def shown_link(response) -> str:
    match = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', response.text)
    assert match, "the page shows no set-password link"
    return match.group(1)


def set_password(client, path: str, new: str = NEW_PASSWORD, repeat: str | None = None):
    page = client.get(path)
    assert page.status_code == 200, page.text
    data = {"new": new, "repeat": new if repeat is None else repeat}
    return client.post(path, data=data | {"csrf_token": csrf_token(page)})


def account_of(app, email: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def post_action(client, path: str):
    return client.post(path, data={"csrf_token": csrf_token(client.get("/admin/users"))})


def test_invited_city_member_sets_a_password_and_sees_their_city(app, client, staff, make_city):
    city = make_city()
    shown = invite(client, city=str(city.id))
    assert shown.status_code == 201
    link = shown_link(shown)
    assert link.startswith("http://localhost/invite/") and "copy" in shown.text.lower()
    assert shown.headers["Cache-Control"] == "no-store"
    invited = account_of(app, "member@karmoy.example")
    assert invited.role is Role.CITY and invited.city_id == city.id
    assert not invited.active and invited.password_hash == ""
    with app.app_context():
        stored = db.session.scalar(select(Invitation).where(Invitation.user_id == invited.id))
    token = link.rsplit("/", 1)[1]
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    hours = (stored.expires_at - stored.created_at).total_seconds() / 3600
    assert hours == pytest.approx(72, abs=0.01)

    newcomer = app.test_client()
    before = newcomer.post(
        "/login",
        data={"email": "member@karmoy.example", "password": "anything at all",
              "csrf_token": csrf_token(newcomer.get("/login"))},
    )  # fmt: skip
    assert before.status_code == 401  # no password until the link is used
    form = newcomer.get(urlsplit(link).path)
    assert "member@karmoy.example" in form.text and '<label for="new">' in form.text
    done = set_password(newcomer, urlsplit(link).path)
    assert done.status_code == 302 and urlsplit(done.headers["Location"]).path == "/"
    dashboard = newcomer.get("/")
    assert dashboard.status_code == 200 and "City committee of Karmøy" in dashboard.text
    assert newcomer.get(f"/cities/{city.id}").status_code == 200
    assert newcomer.get("/admin/users").status_code == 403
    member = account_of(app, "member@karmoy.example")
    assert member.active and member.password_hash.startswith("scrypt:")


def test_a_used_link_an_expired_one_and_an_unknown_one_are_refused_clearly(
    app, client, staff, make_city
):
    path = urlsplit(shown_link(invite(client, city=str(make_city().id)))).path
    assert set_password(app.test_client(), path).status_code == 302
    used = app.test_client().get(path)
    assert used.status_code == 410 and "used already" in used.text
    assert "ask the programme staff for a new link" in used.text.lower()

    other = invite(client, email="late@karmoy.example", role="staff")
    late = urlsplit(shown_link(other)).path
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    expired = app.test_client().get(late)
    assert expired.status_code == 410 and "expired on" in expired.text
    stranger = app.test_client()
    token = csrf_token(stranger.get("/login"))
    refused = stranger.post(late, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD,
                                        "csrf_token": token})  # fmt: skip
    assert refused.status_code == 410 and not account_of(app, "late@karmoy.example").active

    unknown = app.test_client().get("/invite/not-a-real-token")
    assert unknown.status_code == 404 and "not known" in unknown.text
    assert app.test_client().get("/invite/" + "x" * 5000).status_code == 404


def test_a_new_link_replaces_the_old_one(app, client, staff):
    old = urlsplit(shown_link(invite(client, role="staff"))).path
    user = account_of(app, "member@karmoy.example")
    fresh = post_action(client, f"/admin/users/{user.id}/link")
    assert fresh.status_code == 200
    new = urlsplit(shown_link(fresh)).path
    assert new != old
    replaced = app.test_client().get(old)
    assert replaced.status_code == 410 and "replaced by a newer one" in replaced.text
    assert set_password(app.test_client(), new).status_code == 302
    again = post_action(client, f"/admin/users/{user.id}/link")
    assert again.status_code == 400 and "has set its password already" in again.text


def test_the_password_rules_are_those_of_the_account_page(app, client, staff):
    path = urlsplit(shown_link(invite(client, role="staff"))).path
    short = set_password(app.test_client(), path, new="short")
    assert short.status_code == 400 and "Use 10 to 200 characters." in short.text
    differ = set_password(app.test_client(), path, repeat="another long password")
    assert differ.status_code == 400 and "The two new passwords differ" in differ.text
    assert 'role="alert"' in differ.text or 'aria-describedby="repeat-error"' in differ.text
    assert not account_of(app, "member@karmoy.example").active


def test_non_staff_are_refused(app, client, login, make_user, make_city):
    assert client.get("/admin/users").status_code == 302  # anonymous: sent to sign in
    make_city()
    member = make_user("city@example.org", "city", city_slug="karmoy-no")
    login("city@example.org")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/invite").status_code == 403
    assert client.get(f"/admin/users/{member.id}").status_code == 403
    token = csrf_token(client.get("/account"))
    refused = client.post(f"/admin/users/{member.id}/role", data={"csrf_token": token,
                                                                  "role": "staff"})  # fmt: skip
    assert refused.status_code == 403 and account_of(app, "city@example.org").role is Role.CITY
    assert "Users</a>" not in client.get("/").text


def test_deactivating_ends_the_sessions_and_blocks_sign_in(app, client, staff, make_user, login):
    member = make_user("analyst@example.org", "staff")
    other = app.test_client()
    signed_in = other.post(
        "/login",
        data={"email": "analyst@example.org", "password": PASSWORD,
              "csrf_token": csrf_token(other.get("/login"))},
    )  # fmt: skip
    assert signed_in.status_code == 302 and other.get("/").status_code == 200
    done = post_action(client, f"/admin/users/{member.id}/deactivate")
    assert done.status_code == 302
    assert "1 open session(s) ended" in client.get(done.headers["Location"]).text
    assert other.get("/").status_code == 302  # its session ended
    again = other.post(
        "/login",
        data={"email": "analyst@example.org", "password": PASSWORD,
              "csrf_token": csrf_token(other.get("/login"))},
    )  # fmt: skip
    assert again.status_code == 401
    listing = client.get("/admin/users?q=analyst")
    assert "deactivated" in listing.text
    assert post_action(client, f"/admin/users/{member.id}/reactivate").status_code == 302
    assert account_of(app, "analyst@example.org").active

    yourself = post_action(client, f"/admin/users/{staff.id}/deactivate")
    assert yourself.status_code == 400 and "cannot deactivate your own account" in yourself.text
    assert account_of(app, "staff@example.org").active


def change_role(client, user_id: int, **fields):
    page = client.get(f"/admin/users/{user_id}")
    data = {"role": "staff", "city": "", "partner": ""} | fields
    return client.post(f"/admin/users/{user_id}/role", data=data | {"csrf_token": csrf_token(page)})


def test_changing_a_role_sets_its_binding(app, client, staff, make_user, make_city):
    city = make_city()
    with app.app_context():
        partner = Partner(slug="acme", name="Acme Energy", kind=PartnerKind.LOCAL_COMPANY)
        db.session.add(partner)
        db.session.commit()
    member = make_user("someone@example.org", "staff")
    missing = change_role(client, member.id, role="city")
    assert missing.status_code == 400 and "needs its city" in missing.text
    assert '<option selected value="city">' in missing.text  # what was chosen is kept
    assert account_of(app, "someone@example.org").role is Role.STAFF

    assert change_role(client, member.id, role="city", city=str(city.id)).status_code == 302
    moved = account_of(app, "someone@example.org")
    assert (moved.role, moved.city_id, moved.partner_id) == (Role.CITY, city.id, None)
    assert change_role(client, member.id, role="partner", partner=str(partner.id),
                       city=str(city.id)).status_code == 302  # fmt: skip
    moved = account_of(app, "someone@example.org")
    assert (moved.role, moved.city_id, moved.partner_id) == (Role.PARTNER, None, partner.id)
    assert change_role(client, member.id, role="staff", city=str(city.id)).status_code == 302
    moved = account_of(app, "someone@example.org")
    assert (moved.role, moved.city_id, moved.partner_id) == (Role.STAFF, None, None)

    own = change_role(client, staff.id, role="city", city=str(city.id))
    assert own.status_code == 400 and "cannot remove your own staff role" in own.text
    assert account_of(app, "staff@example.org").role is Role.STAFF


def test_bad_invitations_show_the_message_and_keep_what_was_typed(app, client, staff, make_city):
    city = make_city()
    bad = invite(client, email="not-an-email", name="Kari")
    assert bad.status_code == 400 and "This is not an e-mail address" in bad.text
    assert 'value="not-an-email"' in bad.text and 'value="Kari"' in bad.text
    assert 'aria-describedby="email-error"' in bad.text

    no_city = invite(client, email="kari@karmoy.example")
    assert no_city.status_code == 400 and "A city account needs its city" in no_city.text
    assert 'value="kari@karmoy.example"' in no_city.text
    assert 'aria-describedby="city-error"' in no_city.text

    control = invite(client, email="kari@karmoy.example", name="Ka\x00ri", city=str(city.id))
    assert control.status_code == 400 and "control character" in control.text

    duplicate = invite(client, email="Staff@Example.org", role="staff")
    assert duplicate.status_code == 409 and "exists already" in duplicate.text
    assert 'value="Staff@Example.org"' in duplicate.text
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email != "staff@example.org")) is None


def test_the_list_filters_by_role_and_text_and_pages(app, client, staff, make_user, make_city):
    make_city()
    for number in range(3):
        make_user(f"committee{number}@karmoy.example", "city", city_slug="karmoy-no")
    app.config["PAGE_SIZE"] = 2
    everyone = client.get("/admin/users")
    assert (
        everyone.status_code == 200
        and "4 in all" in everyone.text
        and "page 1 of 2" in everyone.text
    )
    assert 'rel="next"' in everyone.text
    cities = client.get("/admin/users?role=city")
    assert "3 in all" in cities.text and "Karmøy" in cities.text
    assert '<option value="city" selected>' in cities.text and "with the role city" in cities.text
    assert "with the role" not in everyone.text  # unfiltered: every role
    second = client.get("/admin/users?role=city&page=2").text
    assert ">committee2@karmoy.example</a>" in second and ">staff@example.org</a>" not in second
    found = client.get("/admin/users?q=COMMITTEE1")
    assert "1 in all" in found.text and "committee1@karmoy.example" in found.text
    assert client.get("/admin/users?role=nonsense").status_code == 200
    assert client.get("/admin/users?q=%00").status_code == 400
    assert 'href="/admin/users">Users</a>' in everyone.text  # the staff nav link


def test_every_change_is_audited_without_tokens_or_hashes(app, client, staff, make_city):
    city = make_city()
    shown = invite(client, city=str(city.id))
    path = urlsplit(shown_link(shown)).path
    member = account_of(app, "member@karmoy.example")
    replaced = urlsplit(shown_link(post_action(client, f"/admin/users/{member.id}/link"))).path
    assert set_password(app.test_client(), replaced).status_code == 302
    post_action(client, f"/admin/users/{member.id}/deactivate")
    change_role(client, member.id, role="staff")
    with app.app_context():
        entries = db.session.scalars(select(AuditLog).where(AuditLog.entity_id == str(member.id)))
        by_action = {entry.action: entry for entry in entries}
        secret = db.session.get(User, member.id).password_hash
    assert {"invite", "new_link", "accept_invitation", "deactivate", "change_role"} <= set(
        by_action
    )
    assert by_action["invite"].user_id == staff.id
    assert by_action["accept_invitation"].user_id == member.id
    assert by_action["change_role"].changes["role"] == {"from": "city", "to": "staff"}
    dumped = json.dumps([entry.changes for entry in by_action.values()])
    for token in (path.rsplit("/", 1)[1], replaced.rsplit("/", 1)[1]):
        assert token not in dumped
    assert secret not in dumped and "scrypt" not in dumped and NEW_PASSWORD not in dumped
