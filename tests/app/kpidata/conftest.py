"""The real reference (91 KPIs, countries, five cities with their values) and three accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import City
from app.seeding.runner import seed_database


@pytest.fixture
def seeded(app, make_user) -> dict[str, int]:
    """Seed the reference data; return the city ids by slug."""
    with app.app_context():
        seed_database()
        ids = {c.slug: c.id for c in db.session.scalars(select(City))}
    make_user("staff@example.org", "staff")
    make_user("city@example.org", "city", city_slug="karmoy-no")
    make_user("bizerte@example.org", "city", city_slug="bizerte-tn")
    return ids
