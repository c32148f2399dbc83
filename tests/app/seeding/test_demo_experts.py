"""The illustrative expert pool: loaded with the demo set, labelled, every sector and
dimension covered, languages of the real cities spoken, loaded once."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import City, Expert, Sector
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


def test_demo_experts_are_illustrative_and_cover_every_sector(app):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        experts = db.session.scalars(select(Expert)).all()
        assert len(experts) == 9
        assert all(e.illustrative and e.source.startswith("illustrative") for e in experts)
        assert all(e.days_per_engagement > 0 for e in experts)
        assert {s for e in experts for s in e.sectors} == set(
            db.session.scalars(select(Sector.slug))
        )
        assert {d for e in experts for d in e.dimensions} == {
            "Economy",
            "Environment",
            "Society and Culture",
        }
        spoken = {code for e in experts for code in e.languages}
        real = db.session.scalars(select(City).where(City.illustrative.is_(False))).all()
        assert all(set((c.language or "").split(";")) & spoken for c in real if c.language)
        assert seed_database(demo=True, demo_password=PASSWORD).changed == 0
