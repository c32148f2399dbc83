"""Lessons and best practice: staff record a case with its sources; it shows beside the
suggested solution it concerns on the city's gaps page; partners see none of it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.core.extensions import db
from app.models import Kpi, LessonCase, ProjectTemplate
from tests.app.engagements.conftest import post
from tests.app.projects import test_projects_data as shared

world, as_role = shared.world, shared.as_role  # fixtures shared with the project tests


def solar_template(app, world) -> int:
    with app.app_context():
        kpi = db.session.get(Kpi, world.renewables_id)
        template = ProjectTemplate(
            slug="rooftop-solar",
            sector_id=world.sector_id,
            name="Rooftop solar on public buildings",
            unit="kWp",
            unit_short="kWp",
            capex_per_unit_central=Decimal("1200"),
            currency="EUR",
            price_year=2024,
            opex_pct_of_capex=1.5,
            lifetime_years=25,
            source_title="Catalogue test source",
            kpis=[kpi],
        )
        db.session.add(template)
        db.session.commit()
        return template.id


def case_form(solution, **overrides):
    data = {
        "title": "Solar roofs on 40 schools",
        "city_name": "Stavanger",
        "template_id": str(solution),
        "kpi_codes": "EN: E: E: 1C",
        "what_was_done": "Panels on 40 school roofs under one tender.",
        "results": "3.2 GWh a year of electricity (2023), 9 % of the schools' use.",
        "sources": "Municipal energy report 2023, p. 12",
        "lessons": "One tender for all roofs halved the unit cost.",
    }
    data.update(overrides)
    return data


def test_a_case_shows_beside_the_suggested_solution(app, client, as_role, world):
    template_id = solar_template(app, world)
    as_role("staff")
    response = post(client, "/lessons/new", case_form(template_id))
    assert response.status_code == 302, response.text
    gaps = client.get(f"/cities/{world.city_id}/gaps")
    assert gaps.status_code == 200
    beside = gaps.text.split("Rooftop solar on public buildings")[1]
    assert "Lessons from elsewhere" in beside and "Solar roofs on 40 schools (Stavanger)" in beside
    page = client.get("/lessons")
    assert "3.2 GWh a year" in page.text and "Municipal energy report 2023" in page.text


def test_bad_case_input_is_refused_on_its_field_and_nothing_is_saved(app, client, as_role, world):
    template_id = solar_template(app, world)
    as_role("staff")
    for overrides, message in (
        ({"sources": " "}, "Say where the figures come from"),
        ({"results": ""}, "Give the results with their figures"),
        ({"kpi_codes": "EN: E: E: 1C; XX: 9"}, "Unknown KPI code: XX: 9"),
        ({"template_id": "999999"}, "Choose a solution of the catalogue"),
    ):
        response = post(client, "/lessons/new", case_form(template_id, **overrides))
        assert response.status_code == 400, overrides
        assert message in response.text, overrides
    with app.app_context():
        assert db.session.scalar(select(LessonCase.id)) is None


def test_cities_read_the_cases_and_partners_see_none(client, as_role, world):
    as_role("partner")
    assert client.get("/lessons").status_code == 403
    assert client.get("/lessons/new").status_code == 403
