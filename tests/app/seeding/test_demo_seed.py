"""The demo set: illustrative and labelled, idempotent, with working demo accounts."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.extensions import db
from app.models import CashFlowLine, City, KpiValue, Partner, Project, Sector
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


def test_demo_seed_is_labelled_idempotent_and_signs_in(app, client, login):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        demo_cities = db.session.scalars(select(City).where(City.illustrative)).all()
        assert len(demo_cities) >= 35
        groups = {city.country.income_group for city in demo_cities}
        assert {"High income", "Upper middle income", "Lower middle income", "Low income"} <= groups
        partners = db.session.scalars(select(Partner)).all()
        assert len(partners) >= 30 and all(p.illustrative for p in partners)
        assert {p.kind.value for p in partners} == {
            "technology_company",
            "international_investor",
            "financial_institution",
            "local_company",
        }
        covered = {s.slug for p in partners for s in p.sectors}
        assert covered == set(db.session.scalars(select(Sector.slug)))
        projects = db.session.scalars(select(Project)).all()
        assert len(projects) >= 20 and all(p.illustrative and p.template for p in projects)
        assert all(p.capex_total and p.capex_total > 0 for p in projects)
        flows = db.session.scalar(select(func.count()).select_from(CashFlowLine))
        assert flows > 20 * 10
        drawn = db.session.scalars(select(KpiValue).where(KpiValue.illustrative)).all()
        assert drawn and all(v.source.startswith("illustrative") for v in drawn)
        assert seed_database(demo=True, demo_password=PASSWORD).changed == 0

    assert login("city@example.org").status_code == 302
    dashboard = client.get("/")
    assert "City committee of Karmøy" in dashboard.text
    projects_page = client.get("/projects")
    assert "illustrative" in projects_page.text and "(2024 prices)" in projects_page.text


def test_staff_lists_show_the_seeded_data(app, client, login):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
    login("staff@example.org")
    cities = client.get("/cities")
    assert cities.status_code == 200 and "Stavanger" in cities.text and "45 in all" in cities.text
    assert "Bizerte" in client.get("/cities?q=biz").text
    partners = client.get("/partners")
    assert partners.status_code == 200 and "illustrative" in partners.text
    with app.app_context():
        stavanger = db.session.scalar(select(City).where(City.slug == "stavanger-no"))
    profile = client.get(f"/cities/{stavanger.id}")
    assert profile.status_code == 200 and "itu.int" in profile.text


def test_demo_bundle_is_optimised_and_waits_for_the_city(app, client, login):
    from app.appraisals.service import appraise_missing
    from app.bundles.demo import create_demo_bundle
    from app.models import Bundle, BundleStatus

    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        assert appraise_missing() >= 20
        bundle = create_demo_bundle()
        assert bundle.status is BundleStatus.SENT and bundle.result["selected"]
        assert create_demo_bundle().id == bundle.id  # once only
        assert db.session.scalar(select(func.count()).select_from(Bundle)) == 1
    login("city@example.org")
    listing = client.get("/bundles")
    assert "Karmøy investment programme (illustrative)" in listing.text
