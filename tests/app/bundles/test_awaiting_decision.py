"""The city committee's dashboard says which bundles await its decision."""

from __future__ import annotations

from app.appraisals.service import appraise_missing
from app.bundles.demo import create_demo_bundle
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


def test_the_committee_dashboard_names_the_bundle_awaiting_its_decision(app, client, login):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
    login("city@example.org", PASSWORD)
    before = client.get("/").text
    assert "No bundle awaits your decision" in before
    with app.app_context():
        bundle = create_demo_bundle()
        name = bundle.name
    page = client.get("/").text
    assert "1 bundle awaits your decision" in page and name in page
