"""A financing plan's stored terms -> the pure engine -> results as JSON.

The terms (``ProjectFinancingPlan.terms``, and ``snapshot["financing_plan"]`` of a run)::

    {"sources": {"eu_grant": [per year], "national_grant": [...], "equity": [...],
                 "ppp_private": [...], "city_budget": [...]},
     "grants_from_funding_gap": bool,
     "loans": {"ifi_loan": {"amount", "rate", "tenor", "grace", "profile",
                            "upfront_fee", "city_carries"}, ...},
     "residual_shares": {"city_budget": 1.0},
     "dsra_share": 0.5, "guarantees": 0.0,
     "city_budget": 2.5e8 or None, "affordability_threshold": 0.10}

Rates and shares are decimals; money in the project's currency and price base. The
results are computed from a snapshot's ``project`` and ``lines`` (see
app.appraisals.inputs), so a run shows the plan as it was when the run was made.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from app.appraisals.inputs import finite_or_none, flows_from, parameters_from
from app.appraisals.methods import general_inflation
from app.appraisals.ppp_results import floats
from appraisal.analysis.cba import funding_gap
from appraisal.errors import AppraisalError
from appraisal.finance import LoanTerms, PlanInputs, financing_plan
from appraisal.finance.debt import LOAN_LABELS
from appraisal.finance.financing_plan import CASH_KINDS, LOAN_KINDS, SOURCE_KINDS, USE_KINDS

__all__ = [
    "SOURCE_LABELS",
    "USE_LABELS",
    "DEFAULT_THRESHOLD",
    "empty_terms",
    "plan_results",
]

SOURCE_LABELS = {
    "eu_grant": "EU grant",
    "national_grant": "National grant",
    **LOAN_LABELS,
    "equity": "Equity",
    "ppp_private": "PPP private finance",
    "city_budget": "City budget",
}
USE_LABELS = {
    "capex": "Capex",
    "idc": "Interest during construction",
    "fees": "Upfront fees",
    "dsra": "Debt service reserve",
}
#: The city's yearly call as a share of its budget above which the plan is flagged.
#: An illustrative default, not a published rule: set the limit of the city's own
#: borrowing framework on the form.
DEFAULT_THRESHOLD = 0.10


def empty_terms(horizon_years: int) -> dict:
    """A plan with no source yet: the city budget takes whatever is not covered."""
    return {
        "sources": {kind: [0.0] * horizon_years for kind in CASH_KINDS},
        "grants_from_funding_gap": False,
        "loans": {},
        "residual_shares": {"city_budget": 1.0},
        "dsra_share": 0.0,
        "guarantees": 0.0,
        "city_budget": None,
        "affordability_threshold": DEFAULT_THRESHOLD,
    }


def _cfads(lines: Mapping) -> np.ndarray:
    """Revenue less opex and replacements: the operating cash flow that can serve debt."""
    get = lambda name: np.asarray(lines[name], dtype=float)  # noqa: E731
    return get("revenue") - get("fixed_opex") - get("variable_opex") - get("replacement")


def _grant_sizing(snap: Mapping) -> dict:
    gap = funding_gap(flows_from(snap), parameters_from(snap), inflation=general_inflation(snap))
    return {
        "parameter_set": snap["parameter_set"]["name"],
        "rate": gap.rate,
        "decision_amount": gap.decision_amount.amount,
        "cofinancing_rate": gap.cofinancing_rate,
        "eu_grant": gap.grant.amount,
        "national_grant": gap.decision_amount.amount - gap.grant.amount,
    }


def _inputs(snap: Mapping, terms: Mapping, sizing: dict | None) -> PlanInputs:
    project, lines = snap["project"], snap["lines"]
    return PlanInputs(
        capex=lines["capex"],
        cfads=_cfads(lines),
        currency=project["currency"],
        price_base_year=project["price_base_year"],
        start_year=project["start_year"],
        loans=[
            LoanTerms(kind, **terms["loans"][kind]) for kind in LOAN_KINDS if kind in terms["loans"]
        ],
        sources=terms["sources"],
        grant_totals=(
            {"eu_grant": sizing["eu_grant"], "national_grant": sizing["national_grant"]}
            if sizing
            else {}
        ),
        residual_shares=terms["residual_shares"],
        dsra_share=terms["dsra_share"],
        guarantees=terms["guarantees"],
        city_budget=terms["city_budget"],
        affordability_threshold=terms["affordability_threshold"],
    )


def _ratios(values) -> list[float | None]:
    return [finite_or_none(v) for v in values]


def plan_results(snap: Mapping, terms: Mapping) -> dict:
    """The plan computed on a snapshot, as JSON; ``{"error", "field"}`` when it cannot be.

    ``snap`` needs the ``project``, ``lines`` and ``parameter_set`` of a run snapshot.
    """
    try:
        sizing = _grant_sizing(snap) if terms.get("grants_from_funding_gap") else None
        plan = financing_plan(_inputs(snap, terms, sizing))
    except AppraisalError as error:
        return {"error": str(error), "field": getattr(error, "field", None)}
    a = plan.affordability
    return {
        "currency": plan.currency,
        "price_base_year": plan.price_base_year,
        "price_basis": flows_from(snap).price_basis,
        "years": [int(y) for y in plan.years],
        "sources": {k: floats(plan.sources[k]) for k in SOURCE_KINDS},
        "uses": {k: floats(plan.uses[k]) for k in USE_KINDS},
        "total_sources": floats(plan.total_sources),
        "total_uses": floats(plan.total_uses),
        "cfads": floats(plan.cfads),
        "debt_service": floats(plan.debt_service),
        "debt_outstanding": floats(plan.debt_outstanding),
        "dscr": _ratios(plan.dscr),
        "llcr": _ratios(plan.llcr),
        "min_dscr": plan.min_dscr,
        "avg_dscr": plan.avg_dscr,
        "min_llcr": plan.min_llcr,
        "avg_llcr": plan.avg_llcr,
        "loans": [
            {
                "kind": s.terms.kind,
                "label": SOURCE_LABELS[s.terms.kind],
                "amount": s.terms.amount,
                "rate": s.terms.rate,
                "tenor": s.terms.tenor,
                "grace": s.terms.grace,
                "profile": s.terms.profile,
                "upfront_fee": s.terms.upfront_fee,
                "city_carries": s.terms.city_carries,
                "drawdown": floats(s.drawdown),
                "interest": floats(s.interest),
                "principal": floats(s.principal),
                "service": floats(s.service),
                "closing": floats(s.closing),
            }
            for s in plan.loans
        ],
        "guarantees": plan.guarantees,
        "grant_sizing": sizing,
        "affordability": None
        if a is None
        else {
            "city_budget": a.city_budget,
            "threshold": a.threshold,
            "call": floats(a.call),
            "share": floats(a.share),
            "peak_share": a.peak_share,
            "failing_years": list(a.failing_years),
            "affordable": a.affordable,
        },
    }
