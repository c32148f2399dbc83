"""Fixtures of the web layer: a function-scoped app on a fresh schema, clients, factories."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import create_app
from app.core.extensions import db
from app.models import Base

PASSWORD = "correct horse battery"


def reset_schema(engine: sa.Engine) -> None:
    """Drop every table (ours and Alembic's), so each test starts from nothing."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_ENGINES": {"default": database_url},
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "PDF_CACHE_FILES": 0,  # no made PDF kept between tests (the cache's own tests turn it on)
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    with app.app_context():
        reset_schema(db.engine)
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.session.close()
        reset_schema(db.engine)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text) or (
        re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def login(client):
    def sign_in(email: str, password: str = PASSWORD):
        token = csrf_token(client.get("/login"))
        return client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    return sign_in


@pytest.fixture
def make_country(app):
    from app.models import Country

    def make(iso2="NO", iso3="NOR", name="Norway", income_group="High income"):
        with app.app_context():
            country = Country(iso2=iso2, iso3=iso3, name=name, income_group=income_group)
            db.session.add(country)
            db.session.commit()
            return country

    return make


@pytest.fixture
def make_city(app, make_country):
    from app.models import City

    def make(slug="karmoy-no", name="Karmøy", country=None):
        country = country or make_country()
        with app.app_context():
            city = City(slug=slug, name=name, country=country)
            db.session.add(city)
            db.session.commit()
            return city

    return make


@pytest.fixture
def make_sector(app):
    from app.models import Sector

    def make(slug="energy", name="Energy", position=2):
        with app.app_context():
            sector = Sector(slug=slug, name=name, position=position)
            db.session.add(sector)
            db.session.commit()
            return sector

    return make


@pytest.fixture
def make_project(app, make_city, make_sector):
    from app.models import Project

    def make(title="Street lighting retrofit", city=None, sector=None, published=False):
        city, sector = city or make_city(), sector or make_sector()
        with app.app_context():
            project = Project(
                title=title,
                city=city,
                sector=sector,
                price_base_year=2024,
                start_year=2027,
                published=published,
            )
            db.session.add(project)
            db.session.commit()
            return project

    return make


@pytest.fixture
def make_user(app):
    from app.accounts.service import create_user

    def make(email="staff@example.org", role="staff", **binding):
        with app.app_context():
            return create_user(email, PASSWORD, role, **binding)

    return make
