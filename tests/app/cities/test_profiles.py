"""City profiles: what each role sees, bands (direction-aware), scores, gaps, suggestions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.cities.profiles import city_profile
from app.cities.suggestions import default_quantity
from app.core.extensions import db
from app.models import (
    City,
    Country,
    Direction,
    Kpi,
    KpiTarget,
    KpiValue,
    Partner,
    PartnerKind,
    Project,
    ProjectTemplate,
    Sector,
    User,
)
from appraisal.analysis.kpi_gaps import attainment, band
from tests.app.conftest import PASSWORD

WS_LOSS = 35.42  # Karmøy's water supply loss, % (lower is better)
WS_TARGET = 20.0
POPULATION = 42_000


@pytest.fixture
def world(app, make_user):
    """Two cities with KPI values, published targets, a catalogue solution, projects
    (drafts and a published one) and one account per role."""
    with app.app_context():
        norway = Country(
            iso2="NO",
            iso3="NOR",
            name="Norway",
            income_group="High income",
            wb_region="Europe & Central Asia",
        )
        tunisia = Country(iso2="TN", iso3="TUN", name="Tunisia", income_group="Lower middle income")
        karmoy = City(
            slug="karmoy-no",
            name="Karmøy",
            country=norway,
            population=POPULATION,
            population_year=2024,
            source="https://www.ssb.no/en/statbank/table/07459",
        )
        bizerte = City(slug="bizerte-tn", name="Bizerte", country=tunisia, population=138_430)
        water = Sector(slug="infrastructure", name="Infrastructure Construction", position=10)
        ict = Sector(slug="ict", name="Information & Communication Technologies", position=5)
        internet = Kpi(
            code="EC: ICT: ICT: 1C",
            name="Household Internet Access",
            dimension="Economy",
            category="ICT Infrastructure",
            unit="%",
            direction=Direction.HIGHER,
            sectors=[ict],
        )
        loss = Kpi(
            code="EC: I: WS: 3C",
            name="Water Supply Loss",
            dimension="Economy",
            category="Water and Sanitation",
            unit="%",
            direction=Direction.LOWER,
            sectors=[water],
        )
        untargeted = Kpi(
            code="SC: H: H: 1C",
            name="Life Expectancy",
            dimension="Society and Culture",
            category="Health",
            unit="years",
            direction=Direction.HIGHER,
        )
        db.session.add_all([karmoy, bizerte, internet, loss, untargeted])
        db.session.flush()
        db.session.add_all(
            [
                KpiTarget(
                    kpi=internet,
                    value=100.0,
                    direction=Direction.HIGHER,
                    target_year=2030,
                    source_title="UN Roadmap for Digital Cooperation",
                    source_url="https://www.un.org/techenvoy/",
                ),
                KpiTarget(
                    kpi=loss,
                    value=WS_TARGET,
                    direction=Direction.LOWER,
                    source_title="Published loss benchmark",
                ),
            ]
        )
        for city, values in (
            (karmoy, [(internet, 2020, 97.0), (loss, 2018, 40.0), (loss, 2020, WS_LOSS)]),
            (bizerte, [(internet, 2021, 70.0), (loss, 2021, 30.0)]),
        ):
            for kpi, year, value in values:
                db.session.add(
                    KpiValue(
                        city_id=city.id,
                        kpi_id=kpi.id,
                        year=year,
                        value=value,
                        unit=kpi.unit,
                        source="https://www.itu.int/u4ssc/karmoy.pdf",
                    )
                )
        template = ProjectTemplate(
            slug="nature-based-wastewater",
            sector=water,
            name="Nature-based wastewater treatment",
            unit="per population equivalent",
            unit_short="p.e.",
            capex_per_unit_central=Decimal("300"),
            currency="EUR",
            price_year=2007,
            opex_per_unit_per_year=Decimal("45"),
            lifetime_years=30,
            source_title="Cost functions (Water Science & Technology)",
            confidence="confirmed",
            kpis=[loss],
        )
        db.session.add(template)
        db.session.add(Partner(slug="acme", name="Acme", kind=PartnerKind.TECHNOLOGY_COMPANY))
        for title, city, published in (
            ("Karmøy leak detection draft", karmoy, False),
            ("Bizerte secret draft", bizerte, False),
            ("Bizerte published harbour project", bizerte, True),
        ):
            db.session.add(
                Project(
                    title=title,
                    city=city,
                    sector=water,
                    price_base_year=2024,
                    start_year=2027,
                    published=published,
                    kpis=[loss],
                )
            )
        db.session.commit()
        ids = {
            "karmoy": karmoy.id,
            "bizerte": bizerte.id,
            "internet": internet.id,
            "loss": loss.id,
            "untargeted": untargeted.id,
            "template": template.id,
        }
        ids["karmoy_project"] = db.session.scalar(
            select(Project.id).where(Project.title.startswith("Karmøy"))
        )
    make_user("staff@example.org")
    make_user("city@example.org", "city", city_slug="karmoy-no")
    make_user("other@example.org", "city", city_slug="bizerte-tn")
    make_user("partner@example.org", "partner", partner_slug="acme")
    return ids


def kpi_row(html: str, kpi_id: int) -> str:
    match = re.search(rf'<tr id="kpi-{kpi_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for KPI {kpi_id}"
    return match.group(1)


@pytest.mark.parametrize(
    "path",
    ["/cities/{karmoy}", "/cities/{karmoy}/gaps", "/cities/{karmoy}/targets/{loss}"],
)
def test_anonymous_visitors_are_sent_to_login(client, world, path):
    response = client.get(path.format(**world))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_profile_shows_header_bands_scores_sources_and_charts(client, login, world):
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{world['karmoy']}")
    assert page.status_code == 200
    html = page.text
    assert "High income" in html and "Europe &amp; Central Asia" in html
    assert "42,000 inhabitants" in html and "https://www.ssb.no/en/statbank/table/07459" in html
    # lower is better: attainment = target / value, band from that share
    share, _ = attainment(WS_LOSS, WS_TARGET, "lower", unit="%")
    row = kpi_row(html, world["loss"])
    assert f"{share * 100:.0f} %" in row
    assert f"{band(share)} of 4 points" in row and "33-66 % of target" in row
    assert f"band-{band(share)}" in row and "lower is better" in row
    assert "35.42 %" in row and "2020" in row and 'href="https://www.itu.int' in row
    assert "Published loss benchmark" in row
    untargeted = kpi_row(html, world["untargeted"])
    assert "no target: staff can set one" in untargeted and "not scored" in untargeted
    assert 'href="https://www.un.org/techenvoy/"' in kpi_row(html, world["internet"])
    assert "Category scores" in html and "Sector scores" in html
    assert html.count('<svg role="img"') == 2
    assert "Edit target" in row or "Set a target" in row


def test_suggestions_link_a_gap_to_a_scaled_project_for_staff(client, login, world):
    login("staff@example.org", PASSWORD)
    row = kpi_row(client.get(f"/cities/{world['karmoy']}").text, world["loss"])
    assert "Nature-based wastewater treatment" in row
    template = ProjectTemplate(slug="nature-based-wastewater", unit="p.e.", unit_short="p.e.")
    quantity, assumption = default_quantity(template, POPULATION)
    assert assumption in row and "(2024 prices)" in row and "EUR 2007" in row
    link = (
        f"/projects/new?city_id={world['karmoy']}&amp;template_id={world['template']}"
        f"&amp;kpi_ids={world['loss']}&amp;quantity={quantity}"
    )
    assert link in row and "Formulate a project" in row
    gaps = client.get(f"/cities/{world['karmoy']}/gaps")
    assert gaps.status_code == 200 and link in gaps.text
    # the largest gap comes first: loss (gap 0.44) before internet access (gap 0.03)
    assert gaps.text.index("Water Supply Loss") < gaps.text.index("Household Internet Access")


def test_city_sees_its_own_profile_with_suggestions_but_no_staff_actions(client, login, world):
    login("city@example.org", PASSWORD)
    html = client.get(f"/cities/{world['karmoy']}").text
    assert "Karmøy leak detection draft" in html
    assert "Suggested solutions" in html and "Formulate a project" not in html
    assert "Edit target" not in html and "Set a target" not in html
    assert client.get(f"/cities/{world['karmoy']}/gaps").status_code == 200


def test_city_sees_other_cities_published_data_but_never_their_drafts(client, login, world):
    login("city@example.org", PASSWORD)
    page = client.get(f"/cities/{world['bizerte']}")
    assert page.status_code == 200
    assert "Bizerte published harbour project" in page.text
    assert "Bizerte secret draft" not in page.text
    assert "Suggested solutions" not in page.text
    assert client.get(f"/cities/{world['bizerte']}/gaps").status_code == 403


def test_partner_reads_published_data_only_and_is_refused_staff_pages(client, login, world):
    login("partner@example.org", PASSWORD)
    page = client.get(f"/cities/{world['bizerte']}")
    assert page.status_code == 200 and "Bizerte secret draft" not in page.text
    assert "Bizerte published harbour project" in page.text
    assert client.get(f"/cities/{world['karmoy']}/gaps").status_code == 403
    assert client.get(f"/cities/{world['karmoy']}/targets/{world['loss']}").status_code == 403


def test_unknown_city_is_a_clear_404(client, login, world):
    login("staff@example.org", PASSWORD)
    response = client.get("/cities/999999")
    assert response.status_code == 404 and "There is no city 999999" in response.text


def test_scores_roll_up_per_dimension_as_per_category(app, world):
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        profile = city_profile(staff, world["karmoy"])
    dimensions = {row["dimension"]: row for row in profile.dimensions}
    loss = band(attainment(WS_LOSS, WS_TARGET, "lower", unit="%")[0])
    economy = dimensions["Economy"]  # internet access (band 4) and water loss
    assert (economy["points"], economy["max_points"], economy["kpis"]) == (4 + loss, 8, 2)
    assert economy["score"] == (4 + loss) / 8
    society = dimensions["Society and Culture"]  # life expectancy: no value, no target
    assert (society["kpis_scored"], society["kpis"], society["score"]) == (0, 1, None)
