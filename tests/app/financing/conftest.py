"""A project with two years of capex and four operating years, and its financing plan.

The plan is the hand-computed case of tests/appraisal/finance/test_financing_plan.py
scaled by 1,000 (the arithmetic is written there)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.core.extensions import db
from app.models import CashFlowLine, FlowKind, Project

START = 2027


@pytest.fixture
def project(app, make_project):
    made = make_project()
    with app.app_context():
        project = db.session.get(Project, made.id)
        project.horizon_years = 6
        rows = [(0, FlowKind.CAPEX, 600_000), (1, FlowKind.CAPEX, 400_000)]
        for year in range(2, 6):
            rows += [(year, FlowKind.REVENUE, 250_000), (year, FlowKind.OPEX_FIXED, 50_000)]
        for year, kind, amount in rows:
            db.session.add(
                CashFlowLine(project_id=made.id, year=year, kind=kind, amount=Decimal(amount))
            )
        db.session.commit()
    return made


def hand_terms(**changes) -> dict:
    """Terms as the service takes them (decimals)."""
    terms = {
        "sources": {
            "eu_grant": [180_000.0, 120_000.0, 0, 0, 0, 0],
            "national_grant": [0.0] * 6,
            "equity": [50_000.0, 0, 0, 0, 0, 0],
            "ppp_private": [0.0] * 6,
            "city_budget": [0.0] * 6,
        },
        "grants_from_funding_gap": False,
        "loans": {
            "ifi_loan": {
                "amount": 500_000.0,
                "rate": 0.04,
                "tenor": 4,
                "grace": 1,
                "profile": "linear",
                "upfront_fee": 0.01,
                "city_carries": True,
            }
        },
        "residual_shares": {"city_budget": 0.6, "national_grant": 0.4},
        "dsra_share": 0.5,
        "guarantees": 250_000.0,
        "city_budget": 1_000_000.0,
        "affordability_threshold": 0.15,
    }
    return terms | changes


def hand_form(version: int | str = 0, **changes) -> dict:
    """The same plan as a person types it in the form (percent, blanks)."""
    data = {
        "version": str(version),
        "y0_eu_grant": "180000",
        "y1_eu_grant": "120000",
        "y0_equity": "50 000",
        "ifi_loan_amount": "500000",
        "ifi_loan_rate": "4",
        "ifi_loan_tenor": "4",
        "ifi_loan_grace": "1",
        "ifi_loan_profile": "linear",
        "ifi_loan_upfront_fee": "1",
        "ifi_loan_city_carries": "y",
        "commercial_loan_profile": "annuity",
        "concessional_profile": "annuity",
        "share_city_budget": "60",
        "share_national_grant": "40",
        "dsra_share": "50",
        "guarantees": "250000",
        "city_budget": "1000000",
        "affordability_threshold": "15",
    }
    return data | changes
