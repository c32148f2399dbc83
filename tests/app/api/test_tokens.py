"""Personal access tokens: made once, kept hashed, acting as their user, revocable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.api.tokens import create_token_for
from app.core.extensions import db
from app.core.security import digest
from app.models import ApiToken, User
from tests.app.conftest import PASSWORD, csrf_token


def test_the_command_prints_a_token_once_and_keeps_only_its_digest(app, runner, make_user):
    make_user("staff@example.org")
    result = runner.invoke(args=["token", "create", "--email", "staff@example.org"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[0]
    assert secret.startswith("usc_") and len(secret) > 40
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == digest(secret) and secret not in (token.prefix, token.name)
        assert secret.startswith(token.prefix)
    missing = runner.invoke(args=["token", "create", "--email", "nobody@example.org"])
    assert missing.exit_code != 0 and "There is no account nobody@example.org" in missing.output


def test_a_token_signs_in_as_its_user_until_revoked_expired_or_deactivated(app, client, make_user):
    make_user("staff@example.org")
    with app.app_context():
        secret = create_token_for("staff@example.org", "script").secret
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/cities", headers=bearer).status_code == 200

    for header, says in [
        ({}, "Send your personal access token"),
        ({"Authorization": "Basic abc"}, "Send your personal access token"),
        ({"Authorization": "Bearer usc_made-up"}, "not known"),
    ]:
        answer = client.get("/api/v1/cities", headers=header)
        assert answer.status_code == 401 and answer.mimetype == "application/problem+json"
        assert says in answer.json["detail"] and "/account/tokens" in answer.json["detail"]
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")

    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at = token.created_at - timedelta(seconds=1)
        db.session.commit()
    assert "has expired" in client.get("/api/v1/cities", headers=bearer).json["detail"]

    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at = None
        db.session.scalar(select(User)).active = False
        db.session.commit()
    assert "deactivated" in client.get("/api/v1/cities", headers=bearer).json["detail"]


def test_a_session_cookie_does_not_open_the_api(client, login, make_user):
    make_user("staff@example.org")
    login("staff@example.org", PASSWORD)
    assert client.get("/cities").status_code == 200
    assert client.get("/api/v1/cities").status_code == 401  # no CSRF-free door by cookie


def test_the_tokens_page_creates_shows_once_and_revokes(app, client, login, make_user):
    make_user("staff@example.org")
    login("staff@example.org", PASSWORD)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "You have no tokens yet" in page.text
    empty = client.post("/account/tokens", data={"csrf_token": csrf_token(page), "name": ""})
    assert empty.status_code == 400 and "Give the token a name" in empty.text
    made = client.post(
        "/account/tokens", data={"csrf_token": csrf_token(page), "name": "KPI push", "days": "30"}
    )
    assert made.status_code == 201 and "not shown again" in made.text
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.name == "KPI push" and token.expires_at is not None
    secret = made.text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/cities", headers=bearer).status_code == 200
    again = client.get("/account/tokens")
    assert secret not in again.text and token.prefix in again.text

    revoked = client.post(
        f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(again)}
    )
    assert revoked.status_code == 302
    answer = client.get("/api/v1/cities", headers=bearer)
    assert answer.status_code == 401 and "was revoked" in answer.json["detail"]


def test_someone_elses_token_cannot_be_revoked(app, client, login, make_user):
    make_user("staff@example.org")
    make_user("other@example.org")
    with app.app_context():
        theirs = create_token_for("other@example.org", "theirs").token.id
    login("staff@example.org", PASSWORD)
    page = client.get("/account/tokens")
    answer = client.post(f"/account/tokens/{theirs}/revoke", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, theirs).revoked_at is None


def test_the_documentation_is_served_from_the_platform(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and spec.json["openapi"].startswith("3.")
    assert spec.json["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "http://" not in docs.text and "https://" not in docs.text  # no outside CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        with client.get(f"/api/v1/docs/assets/{asset}") as answer:
            assert answer.status_code == 200 and len(answer.data) > 10_000
    assert client.get("/api/v1/docs/assets/index.html").status_code == 404
