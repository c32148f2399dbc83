"""Sessions that end, and sign-in limits shared by every worker."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import LoginFailure
from tests.app.conftest import PASSWORD, csrf_token, make_app


@pytest.fixture
def worker(database_url):
    """Another worker's app on the same database (closed after the test)."""
    made = []

    def make(**overrides):
        made.append(make_app(database_url, **overrides))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.close()
            db.engine.dispose()


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str):
    """A second browser that copied the session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_copied_cookie_is_refused_after_logout(app, client, login, make_user):
    make_user()
    login("staff@example.org")
    copied = session_cookie(client)
    assert replay(app, copied).get("/").status_code == 200  # the copy works while signed in
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    assert replay(app, copied).get("/").status_code == 302  # sent to sign in


def test_sign_out_everywhere_ends_every_session(app, client, login, make_user):
    make_user()
    other = app.test_client()
    login("staff@example.org")
    token = csrf_token(other.get("/login"))
    other.post(
        "/login", data={"email": "staff@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert other.get("/").status_code == 200
    page = client.get("/account")
    assert page.status_code == 200 and "Open sessions of this account" in page.text
    done = client.post("/account", data={"csrf_token": csrf_token(page), "all-submit": "1"})
    assert done.status_code == 302
    assert client.get("/").status_code == 302 and other.get("/").status_code == 302


def test_a_password_change_ends_the_other_sessions_only(app, client, login, make_user):
    make_user()
    login("staff@example.org")
    copied = session_cookie(client)
    page = client.get("/account")
    data = {"csrf_token": csrf_token(page), "pw-submit": "1", "pw-current": "wrong one!",
            "pw-new": "a new long password", "pw-repeat": "a new long password"}  # fmt: skip
    refused = client.post("/account", data=data)
    assert refused.status_code == 400 and "The current password is wrong" in refused.text
    changed = client.post("/account", data=data | {"pw-current": PASSWORD})
    assert changed.status_code == 302
    fresh = session_cookie(client)
    assert client.get("/").status_code == 200
    assert replay(app, fresh).get("/").status_code == 200
    # The cookie copied before the change belongs to the same session: still this one.
    assert replay(app, copied).get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    assert replay(app, copied).get("/").status_code == 302


def wrong(client, email="staff@example.org", password="not the password", **headers):
    token = csrf_token(client.get("/login"))
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, headers=headers
    )


def test_a_blocked_account_refuses_even_the_right_password_and_says_until_when(
    app, client, make_user
):
    make_user()
    for _ in range(app.config["LOGIN_FAILURES_PER_ACCOUNT"] - 1):
        assert wrong(client).status_code == 401
    blocked = wrong(client)
    assert blocked.status_code == 429 and "blocked until" in blocked.text and "UTC" in blocked.text
    right = wrong(client, password=PASSWORD)
    assert right.status_code == 429 and "even with the right password" in right.text
    assert client.get("/").status_code == 302


def test_the_limit_is_shared_by_two_workers_on_one_database(worker, make_user, app):
    make_user()
    second = worker()  # another worker process: its own app, same database
    clients = [app.test_client(), second.test_client()]
    for attempt in range(app.config["LOGIN_FAILURES_PER_ACCOUNT"]):
        wrong(clients[attempt % 2])
    assert wrong(clients[0], password=PASSWORD).status_code == 429
    assert wrong(clients[1], password=PASSWORD).status_code == 429


def test_the_address_limit_counts_across_accounts_behind_a_proxy(worker, make_user, app):
    make_user()
    proxied = worker(PROXIES=1, LOGIN_FAILURES_PER_ADDRESS=3)
    client = proxied.test_client()
    for n in range(3):
        wrong(client, email=f"nobody{n}@example.org", X_Forwarded_For="203.0.113.7")
    assert wrong(client, password=PASSWORD, X_Forwarded_For="203.0.113.7").status_code == 429
    # Another client address behind the same proxy is not blocked.
    assert wrong(client, password=PASSWORD, X_Forwarded_For="198.51.100.2").status_code == 302
    with proxied.app_context():
        keys = set(db.session.scalars(select(LoginFailure.key)))
    assert "address:203.0.113.7" in keys


def test_hsts_only_with_secure_cookies(worker, app):
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    secure = worker(SESSION_COOKIE_SECURE=True)
    assert "max-age" in secure.test_client().get("/login").headers["Strict-Transport-Security"]
