"""Product packages per role: staff group, compose, edit, publish; partners see the fit
and express interest; a city sees its level, its package and mentors above it."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import PackageGrouping, PackageInterest, ProductPackage, ProductPackageLine
from app.packages.groups import grouping_job
from tests.app.conftest import PASSWORD, csrf_token
from tests.app.core.test_jobs import wait_for
from tests.app.partners.test_matches_world import post_form, world_fixture  # noqa: F401  (fixture "world")


@pytest.fixture
def levels(app, world, make_user):
    """Two clear levels: Karmøy and Graz near target, Nairobi and Kisumu far below it.
    One catalogue solution (LED lighting) moves the energy KPI; none the water KPI."""
    from app.models import City, Country, Kpi, KpiTarget, KpiValue, ProjectTemplate, Sector
    from app.models.kpi import Direction

    with app.app_context():
        water = db.session.scalar(sa.select(Kpi))
        energy = db.session.get(Sector, world["energy"])
        light = Kpi(
            code="EN: E: E: 4A",
            name="Public lighting efficiency",
            dimension="Environment",
            category="Energy",
            direction=Direction.HIGHER,
            sdg_goals=[7],
        )
        db.session.add(light)
        light.sectors = [energy]
        kenya = db.session.scalar(sa.select(Country).where(Country.iso2 == "KE"))
        kisumu = City(slug="kisumu-ke", name="Kisumu", country=kenya, population=600000)
        db.session.add_all([light, kisumu])
        db.session.flush()
        for kpi in (water, light):
            db.session.add(KpiTarget(kpi_id=kpi.id, value=100.0, direction=Direction.HIGHER))
        values = {"karmoy": 95.0, "graz": 90.0, "nairobi": 20.0, "kisumu": 25.0}
        ids = dict(world, kisumu=kisumu.id)
        for city, value in values.items():
            for kpi in (water, light):
                db.session.add(KpiValue(city_id=ids[city], kpi_id=kpi.id, year=2023, value=value))
        template = ProjectTemplate(
            slug="led-street-lighting",
            sector=energy,
            name="LED street lighting",
            unit="per streetlight",
            unit_short="streetlight",
            capex_per_unit_central=Decimal("500"),
            currency="EUR",
            price_year=2024,
            opex_pct_of_capex=2.0,
            lifetime_years=20,
            source_title="Illustrative test source",
            confidence="confirmed",
        )
        template.kpis = [light]
        db.session.add(template)
        db.session.commit()
        grouping_job({}, lambda *_: None)  # the kept grouping the pages read
    make_user("nairobi@example.org", "city", city_slug="nairobi-ke")
    return ids


def sign_in(app, email):
    client = app.test_client()
    token = csrf_token(client.get("/login"))
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client


def compose_level_one(client):
    return post_form(client, "/packages", "/packages/compose", {"level": 1})


def test_staff_see_levels_explained_and_compose_a_package(app, levels):
    staff = sign_in(app, "staff@example.org")
    page = staff.get("/packages")
    assert page.status_code == 200
    text = page.text
    assert "2 levels of 4 cities" in text and "silhouette" in text
    assert "Level 1 of 2: 2 cities, typical attainment 22 %" in text
    assert "Environment (dimension): 22 % attained on average, below the 92 %" in text
    response = compose_level_one(staff)
    assert response.status_code == 302
    with app.app_context():
        package = db.session.scalar(sa.select(ProductPackage))
        assert package.level == 1 and not package.published
        assert sorted(package.member_city_ids) == sorted([levels["nairobi"], levels["kisumu"]])
        # typical city: median of 4.4 m and 600 k; 1 streetlight per 10 inhabitants
        assert package.population == 2_500_000
        (line,) = package.lines
        assert line.quantity == 250_000 and line.capex == pytest.approx(125_000_000)
        assert line.funding_gap_rate == 1.0
        assert any("no catalogue solution moves EN: EN: WS: 4C" in n for n in package.notes)
        package_id, line_id = package.id, line.id
    shown = staff.get(f"/packages/{package_id}").text
    assert "EUR 125.00 m (2024 prices)" in shown
    assert "EN: E: E: 4A: 2 of 2 members fall short" in shown
    assert "Lumen Lighting" in shown  # a partner who could deliver it across the cities
    assert "A proposed consortium for the whole package" in shown
    assert (
        "Technology partner: Lumen Lighting" in shown and "Investor or bank: Nordic Bank" in shown
    )
    assert "Local company: Vestkyst" not in shown  # works in Norway only, members are in Kenya
    assert "Incomplete:" in shown
    assert "Mentor cities come from levels 2 to 2" in shown and 'href="/twinning"' in shown
    # staff edit a quantity: capex follows unit cost x quantity
    url = f"/packages/{package_id}/lines/{line_id}"
    assert post_form(staff, f"/packages/{package_id}", url, {"quantity": 1000}).status_code == 302
    with app.app_context():
        assert db.session.get(ProductPackageLine, line_id).capex == pytest.approx(500_000)
    bad = post_form(staff, f"/packages/{package_id}", url, {"quantity": "lots"})
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.get(ProductPackageLine, line_id).quantity == 1000
    # title and publish
    text_url = f"/packages/{package_id}/text"
    empty = post_form(staff, f"/packages/{package_id}", text_url, {"title": " "})
    assert empty.status_code == 400 and "Give the package a title." in empty.text
    post_form(staff, f"/packages/{package_id}", text_url, {"title": "Bright streets"})
    post_form(staff, f"/packages/{package_id}", f"/packages/{package_id}/publish", {})
    with app.app_context():
        package = db.session.get(ProductPackage, package_id)
        assert package.title == "Bright streets" and package.published


def test_a_level_that_does_not_exist_is_a_clear_400(app, levels):
    staff = sign_in(app, "staff@example.org")
    response = post_form(staff, "/packages", "/packages/compose", {"level": 7})
    assert response.status_code == 400
    assert "There is no level 7; choose a level from 1 to 2." in response.text


def _published(app, client):
    compose_level_one(client)
    with app.app_context():
        package_id = db.session.scalar(sa.select(ProductPackage.id))
    post_form(client, f"/packages/{package_id}", f"/packages/{package_id}/publish", {})
    return package_id


def test_partner_finds_published_package_with_fit_and_expresses_interest(app, levels):
    staff = sign_in(app, "staff@example.org")
    partner = sign_in(app, "lumen@example.org")
    assert "No package is published yet." in partner.get("/packages/published").text
    draft_id = _published(app, staff) + 0
    listing = partner.get("/packages/published").text
    assert "Level 1 package" in listing and "Your fit" in listing
    page = partner.get(f"/packages/{draft_id}")
    assert page.status_code == 200 and "Fit to the whole package" in page.text
    url = f"/packages/{draft_id}/interest"
    short = post_form(partner, f"/packages/{draft_id}", url, {"message": "too short"})
    assert short.status_code == 400
    message = "We install LED lighting in several Kenyan cities at once."
    assert post_form(partner, f"/packages/{draft_id}", url, {"message": message}).status_code == 302
    again = post_form(partner, f"/packages/{draft_id}", url, {"message": message})
    assert again.status_code == 400 and "one expression per package" in again.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PackageInterest)) == 1
    assert "We install LED lighting" in staff.get(f"/packages/{draft_id}").text
    # a partner cannot compose, edit or publish
    assert partner.get("/packages").status_code == 302
    assert (
        post_form(partner, "/packages/published", "/packages/compose", {"level": 1}).status_code
        == 403
    )


def test_drafts_are_hidden_from_partners_and_cities(app, levels):
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        package_id = db.session.scalar(sa.select(ProductPackage.id))
    for email in ("lumen@example.org", "nairobi@example.org"):
        assert sign_in(app, email).get(f"/packages/{package_id}").status_code == 404


def test_city_sees_its_level_package_kpis_and_mentors_above(app, levels):
    staff = sign_in(app, "staff@example.org")
    city = sign_in(app, "nairobi@example.org")
    before = city.get("/packages/mine").text
    assert "Nairobi is at development level 1 of 2" in before
    assert "No package listing Nairobi is published yet." in before
    _published(app, staff)
    page = city.get("/packages/mine")
    assert page.status_code == 200
    text = page.text
    assert "Level 1 package" in text
    assert "Public lighting efficiency (EN: E: E: 4A)" in text and "80 %" in text
    assert "Mentors from the levels above" in text and "Karmøy" in text and "Graz" in text
    assert 'href="/twinning"' not in text  # twinning is staff work: the city asks for it
    top = sign_in(app, "city@example.org").get("/packages/mine").text
    assert "level 2 of 2" in top and "Mentors from the levels above" not in top
    assert city.post("/packages/compose", data={"level": 1}).status_code in (400, 403)


def test_too_few_cities_say_what_to_do(app, world):
    staff = sign_in(app, "staff@example.org")
    page = staff.get("/packages")
    assert page.status_code == 200
    assert "The cities have not been grouped yet" in page.text
    answer = post_form(staff, "/packages", "/packages/grouping", {})
    job = wait_for(app, answer.headers["Location"].rsplit("/", 1)[1])
    assert job.status.value == "failed" and "grouping needs at least two" in job.error
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PackageGrouping)) == 0


def test_city_gets_the_best_part_of_the_package_within_its_budget(app, levels):
    staff = sign_in(app, "staff@example.org")
    _published(app, staff)
    city = sign_in(app, "nairobi@example.org")
    # Nairobi: 4.4 m inhabitants -> 440,000 streetlights at EUR 500 = EUR 220 m
    within = city.get("/packages/mine?budget=300000000").text
    assert "chose 1 of 1 solutions" in within and "EUR 220.00 m (2024 prices)" in within
    short = city.get("/packages/mine?budget=1000000").text
    assert "chose 0 of 1 solutions" in short
    bad = city.get("/packages/mine?budget=-5")
    assert bad.status_code == 400 and "Give a budget above zero." in bad.text


def test_a_new_quantity_is_appraised_again(app, levels):
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        line = db.session.scalar(sa.select(ProductPackageLine))
        package_id, line_id, before = line.package_id, line.id, float(line.dic)
    url = f"/packages/{package_id}/lines/{line_id}"
    post_form(staff, f"/packages/{package_id}", url, {"quantity": 1000})
    with app.app_context():
        line = db.session.get(ProductPackageLine, line_id)
        # EUR 500 k in one construction year, discounted nowhere (period 0)
        assert float(line.dic) == pytest.approx(500_000) and float(line.dic) < before
        assert line.quantity_note == "1,000 set by staff"


def test_staff_remove_a_solution_from_a_draft_and_withdraw_a_published_package(app, levels):
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        line = db.session.scalar(sa.select(ProductPackageLine))
        package_id, line_id = line.package_id, line.id
    page = f"/packages/{package_id}"
    # an empty package cannot be published
    post_form(staff, page, f"{page}/lines/{line_id}/remove", {})
    refused = post_form(staff, page, f"{page}/publish", {})
    assert refused.status_code == 400 and "has no solutions" in refused.text
    with app.app_context():
        package = db.session.get(ProductPackage, package_id)
        assert package.lines == [] and not package.published
    # a published package can be withdrawn
    compose_level_one(staff)
    with app.app_context():
        second = db.session.scalar(sa.select(sa.func.max(ProductPackage.id)))
    post_form(staff, f"/packages/{second}", f"/packages/{second}/publish", {})
    post_form(staff, f"/packages/{second}", f"/packages/{second}/publish", {"action": "withdraw"})
    with app.app_context():
        package = db.session.get(ProductPackage, second)
        assert not package.published and package.published_at is None


def test_a_post_without_its_token_changes_nothing(app, levels):
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        package_id = db.session.scalar(sa.select(ProductPackage.id))
    staff.post(f"/packages/{package_id}/publish", data={})
    with app.app_context():
        assert not db.session.get(ProductPackage, package_id).published
