"""Sign-in, CSRF, rate limit, roles and security headers."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditLog
from tests.app.conftest import PASSWORD, csrf_token, make_app, reset_schema


def test_login_page_has_labels_and_csrf(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="email">' in page.text and '<label for="password">' in page.text
    assert csrf_token(page)


def test_login_success_and_logout(client, login, make_user):
    make_user()
    response = login("staff@example.org")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    token = csrf_token(client.get("/"))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_without_saying_which(client, login, make_user):
    make_user()
    response = login("staff@example.org", "not the password")
    assert response.status_code == 401
    assert "The e-mail or the password is wrong" in response.text
    assert client.get("/").status_code == 302  # still anonymous


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user()
    response = client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.text
    assert client.get("/").status_code == 302


def test_login_attempts_are_rate_limited(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        reset_schema(db.engine)
        from app.models import Base

        Base.metadata.create_all(db.engine)
    client = app.test_client()
    token = csrf_token(client.get("/login"))
    statuses = [
        client.post(
            "/login", data={"email": "x@example.org", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429
    blocked = client.post(
        "/login", data={"email": "x@example.org", "password": "wrong", "csrf_token": token}
    )
    assert "Too many attempts" in blocked.text
    with app.app_context():
        reset_schema(db.engine)
        db.engine.dispose()


def test_passwords_are_hashed_with_scrypt(app, make_user):
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_login_is_audited(app, login, make_user):
    make_user()
    login("staff@example.org")
    with app.app_context():
        actions = db.session.scalars(select(AuditLog.action)).all()
    assert "login" in actions


def test_cookies_are_httponly_and_samesite(client, login, make_user):
    make_user()
    response = login("staff@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_anonymous_is_sent_to_login(client):
    response = client.get("/projects")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_partner_is_refused_the_staff_partner_list(client, login, make_user, make_city):
    from app.models import Partner, PartnerKind

    with client.application.app_context():
        db.session.add(Partner(slug="p1", name="Partner One", kind=PartnerKind.LOCAL_COMPANY))
        db.session.commit()
    make_user("partner@example.org", "partner", partner_slug="p1")
    login("partner@example.org")
    response = client.get("/partners")
    assert response.status_code == 403
    assert "for staff accounts" in response.text


def test_city_sees_only_its_own_projects(client, login, make_user, make_project, make_city):
    from app.models import Country

    own = make_project(title="Own project")
    other_city = make_city(
        slug="bizerte-tn", name="Bizerte", country=Country(iso2="TN", iso3="TUN", name="Tunisia")
    )
    other = make_project(title="Other city's draft", city=other_city, sector=own.sector)
    make_user("city@example.org", "city", city_slug="karmoy-no")
    login("city@example.org")
    listing = client.get("/projects")
    assert "Own project" in listing.text and "Other city&#39;s draft" not in listing.text
    assert client.get(f"/projects/{other.id}").status_code == 403
    assert client.get(f"/projects/{own.id}").status_code == 200


def test_partner_sees_only_published_projects(client, login, make_user, make_project):
    draft = make_project(title="Unpublished draft")
    public = make_project(
        title="Published one", city=draft.city, sector=draft.sector, published=True
    )
    with client.application.app_context():
        from app.models import Partner, PartnerKind

        db.session.add(Partner(slug="p1", name="Partner One", kind=PartnerKind.LOCAL_COMPANY))
        db.session.commit()
    make_user("partner@example.org", "partner", partner_slug="p1")
    login("partner@example.org")
    assert client.get(f"/projects/{draft.id}").status_code == 403
    assert client.get(f"/projects/{public.id}").status_code == 200
    assert "Unpublished draft" not in client.get("/projects").text


def test_project_list_filters_by_city_as_the_pipeline_links_do(
    client, login, make_user, make_project, make_city
):
    from app.models import Country

    here = make_project(title="Here")
    elsewhere_city = make_city(
        slug="bizerte-tn", name="Bizerte", country=Country(iso2="TN", iso3="TUN", name="Tunisia")
    )
    make_project(title="Elsewhere", city=elsewhere_city, sector=here.sector)
    make_user()
    login("staff@example.org")
    page = client.get(f"/projects?city_id={here.city.id}")
    assert "Here" in page.text and "Elsewhere" not in page.text
    by_country = client.get(f"/projects?country_id={elsewhere_city.country.id}")
    assert "Elsewhere" in by_country.text and ">Here<" not in by_country.text
