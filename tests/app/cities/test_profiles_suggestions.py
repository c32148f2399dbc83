"""Suggested solutions: sized from the population with the assumption in words, costed in
EUR at 2024 prices, ranked by the weighted gap they could close."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.cities.suggestions import (
    ASSUMED_POPULATION,
    PER_INHABITANT,
    default_quantity,
    suggestions_by_kpi,
)
from app.core.extensions import db
from app.models import Kpi, ProjectTemplate, Sector
from app.projects.flows import scale_template
from tests.app.cities import test_profiles

world = test_profiles.world  # the shared fixture


def test_default_quantity_states_its_assumption():
    lights = ProjectTemplate(slug="led-street-lighting", unit="per light", unit_short="streetlight")
    quantity, why = default_quantity(lights, 40_000)
    assert quantity == round(40_000 * PER_INHABITANT["led-street-lighting"])
    assert why == "1 streetlight per 10 inhabitants of 40,000 (assumption)"
    fund = ProjectTemplate(slug="green-revolving-fund", unit="per fund", unit_short="fund")
    assert default_quantity(fund, 40_000) == (1, "1 fund for the whole city (assumption)")
    unknown = ProjectTemplate(slug="not-in-the-rules", unit="per thing", unit_short="thing")
    quantity, why = default_quantity(unknown, None)
    assert quantity == round(ASSUMED_POPULATION / 1_000)
    assert "no sizing rule" in why and "no population on record" in why


def test_suggestions_rank_by_weighted_gap_and_carry_the_scaled_cost(app, world):
    with app.app_context():
        loss, internet = db.session.get(Kpi, world["loss"]), db.session.get(Kpi, world["internet"])
        sector = db.session.scalar(select(Sector))
        both = ProjectTemplate(
            slug="smart-water-and-fibre",
            sector=sector,
            name="Smart network moving both KPIs",
            unit="per household",
            unit_short="household",
            capex_per_unit_central=Decimal("100"),
            currency="EUR",
            price_year=2024,
            confidence="recalled",
            kpis=[loss, internet],
        )
        no_cost = ProjectTemplate(
            slug="uncosted",
            sector=sector,
            name="A solution without a published cost",
            unit="per unit",
            currency="EUR",
            price_year=2024,
            kpis=[loss],
        )
        db.session.add_all([both, no_cost])
        db.session.commit()
        gaps = {loss.code: 0.5, internet.code: 0.4}
        found = suggestions_by_kpi([loss.id], gaps, 42_000)[loss.id]
        # scores: both KPIs, recalled 0.7 x 0.9; wastewater, confirmed 1.0 x 0.5; uncosted 0.5 x 0.5
        assert [s.name for s in found] == [
            "Smart network moving both KPIs",
            "Nature-based wastewater treatment",
            "A solution without a published cost",
        ]
        assert found[0].score == 0.7 * (0.5 + 0.4)
        template = db.session.get(ProjectTemplate, world["template"])
        expected = scale_template(template, found[1].quantity, currency="EUR", price_base_year=2024)
        assert found[1].capex == expected.capex_total and found[1].explanation
        assert found[2].capex is None and "no central unit cost" in found[2].cost_problem
