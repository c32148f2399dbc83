"""An illustrative bundle for Karmøy, optimised and sent to its committee for review.

Part of the demo set (`usc demo-bundle`, run by `make run` after the appraisals), so
the city committee's journey (review a proposed bundle) works on the demo data. It
goes through the same services as the staff pages.
"""

from __future__ import annotations

import math

from sqlalchemy import select

from app.bundles.candidates import city_candidates
from app.bundles.optimisation import optimise
from app.bundles.service import create_bundle, save_bundle, send_bundle
from app.core.extensions import db
from app.models import Bundle, City, Role, User

DEMO_CITY = "karmoy-no"
DEMO_NAME = "Karmøy investment programme (illustrative)"
# Yearly capex budgets at 60 % of the candidates' needs, so there are choices to make,
# but never below the year's largest project: each candidate can be chosen, just not
# all together, so the frontier shows the ENPV / gap-closure trade-off.
BUDGET_SHARE = 0.6


def create_demo_bundle() -> Bundle | None:
    """The demo bundle, created once; None when the demo set is not loaded."""
    city = db.session.scalar(select(City).where(City.slug == DEMO_CITY))
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    if city is None or staff is None:
        return None
    existing = db.session.scalar(
        select(Bundle).where(Bundle.city_id == city.id, Bundle.name == DEMO_NAME)
    )
    if existing is not None:
        return existing
    bundle = create_bundle(
        staff,
        city_id=city.id,
        name=DEMO_NAME,
        objective="mix",
        enpv_weight_pct=50.0,
        currency="EUR",
        price_base_year=2024,
    )
    rows = city_candidates(city.id, "EUR", 2024, with_gaps=False)
    needs: dict[int, float] = {}
    largest: dict[int, float] = {}
    for row in rows:
        for year, amount in row.costs.items():
            needs[year] = needs.get(year, 0.0) + amount
            largest[year] = max(largest.get(year, 0.0), amount)
    budgets = {  # up to EUR 1 k, so the largest project still fits
        year: math.ceil(max(total * BUDGET_SHARE, largest[year]) / 1e3) * 1e3
        for year, total in needs.items()
    }
    spec = {
        "name": DEMO_NAME,
        "objective": "mix",
        "enpv_weight_pct": 50.0,
        "opex_budget": None,
        "candidates": [
            {
                "project_id": row.project.id,
                "must_include": False,
                "must_exclude": False,
                "group": "",
            }
            for row in rows
        ],
        "budgets": budgets,
        "sector_rules": [],
        "pairs": [],
    }
    bundle = save_bundle(staff, bundle.id, bundle.version, spec)
    _, bundle = optimise(staff, bundle.id, bundle.version)
    if bundle.result and bundle.result.get("selected"):
        bundle = send_bundle(staff, bundle.id, bundle.version)
    return bundle
