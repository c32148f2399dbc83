"""The demo world with a personal access token per demo account."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.api.tokens import create_token_for
from app.appraisals.service import appraise_missing
from app.bundles.demo import create_demo_bundle
from app.core.extensions import db
from app.models import Bundle, City, Project
from app.seeding import seed_database
from tests.app.conftest import PASSWORD

ROLES = ("staff", "city", "partner")


@pytest.fixture
def world(app) -> dict:
    """Ids of the demo set and a bearer header per role (and ``None`` for no token)."""
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        create_demo_bundle()
        headers = {
            role: {
                "Authorization": f"Bearer {create_token_for(f'{role}@example.org', 'tests').secret}"
            }
            for role in ROLES
        }
        karmoy = db.session.scalar(select(City).where(City.slug == "karmoy-no"))
        other = db.session.scalar(select(City).where(City.slug != "karmoy-no").limit(1))
        published = db.session.scalar(
            select(Project.id).where(Project.published.is_(True)).order_by(Project.id).limit(1)
        )
        draft = db.session.scalar(
            select(Project.id)
            .where(Project.published.is_(False), Project.city_id == karmoy.id)
            .order_by(Project.id)
            .limit(1)
        )
        other_draft = db.session.scalar(
            select(Project.id)
            .where(Project.published.is_(False), Project.city_id != karmoy.id)
            .order_by(Project.id)
            .limit(1)
        )
        return {
            "headers": headers | {"anonymous": {}},
            "karmoy": karmoy.id,
            "other_city": other.id,
            "published": published,
            "draft": draft,
            "other_draft": other_draft,
            "bundle": db.session.scalar(select(Bundle.id)),
        }
