"""A target whose deadline has passed says so on the profile."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import City, KpiTarget
from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD

world = test_profiles.world


def test_a_passed_deadline_is_marked(app, client, login, world):
    login("staff@example.org", PASSWORD)
    with app.app_context():
        karmoy = db.session.scalar(select(City.id).where(City.slug == "karmoy-no"))
    assert "deadline passed" not in client.get(f"/cities/{karmoy}").text
    with app.app_context():
        for target in db.session.scalars(select(KpiTarget).where(KpiTarget.target_year == 2030)):
            target.target_year = 2005
        db.session.commit()
    page = client.get(f"/cities/{karmoy}").text
    assert "by 2005" in page and "deadline passed" in page
