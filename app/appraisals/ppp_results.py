"""The PPP part of an appraisal run: value for money, availability payment, debt ratios.

Laid out as JSON for ``AppraisalRun.results["ppp"]`` (see :mod:`app.appraisals.results`).
An engine error becomes ``"error"`` with the engine's message: PPP is optional.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from app.appraisals.inputs import finite_or_none
from app.appraisals.vfm_risks import vfm_risk_lines
from appraisal.errors import AppraisalError
from appraisal.finance.ppp import size_availability_payment, value_for_money

__all__ = ["ppp_results", "ppp_layout", "floats"]


def floats(values) -> list[float]:
    """A numeric series as a JSON list of floats."""
    return [float(v) for v in np.asarray(values, dtype=float)]


def ppp_results(flows, params, snap: Mapping) -> dict:
    """Value for money (PSC vs PPP) and the availability payment that pays for the PPP."""
    assumptions = snap["ppp"]
    value = {k: v["value"] for k, v in assumptions.items()}
    out: dict = {"assumptions": assumptions, "delivery_model": snap["project"]["delivery_model"]}
    try:
        capex = np.asarray(flows.capex, dtype=float)
        built = np.flatnonzero(capex)
        if built.size == 0:
            raise AppraisalError("the project has no capex, so there is nothing to finance")
        c = int(built[-1]) + 1  # operation starts the year after the last capex
        if c >= flows.years.size:
            raise AppraisalError("the horizon ends with construction: lengthen it to operate")
        running = flows.opex + flows.replacement
        concession = snap["project"]["delivery_model"] == "ppp_concession"
        # Under a concession the operator keeps user charges, so the payment it needs
        # is net of them; under availability payments the charges stay public.
        private_cost = running - flows.revenue if concession else running
        ap = size_availability_payment(
            capex[:c],
            private_cost[c:],
            target_irr=value["target_equity_irr"],
            debt_rate=value["debt_rate"],
            target_dscr=value["target_dscr"],
            gearing=value["gearing"],
            indexation=value["indexation"],
        )
        payments = np.zeros(flows.years.size)
        payments[c:] = ap.payments
        public_running = capex + running
        shadow_bid = payments if concession else payments - flows.revenue
        spec = (snap.get("methods") or {}).get("vfm_risks")
        risks, register = vfm_risk_lines(spec, capex) if spec else ({}, {})
        vfm = value_for_money(
            raw_cost=capex + running - flows.revenue,
            competitive_neutrality=public_running * value["competitive_neutrality_share"],
            transferable_risk=risks.get(
                "transferable_risk", public_running * value["transferable_risk_share"]
            ),
            retained_risk=risks.get("retained_risk", public_running * value["retained_risk_share"]),
            optimism_bias=risks.get("optimism_bias"),
            shadow_bid=shadow_bid,
            rate=params.financial_discount_rate,
            currency=flows.currency,
            price_base_year=flows.price_base_year,
        )
        out |= ppp_layout(vfm, ap, payments, int(flows.years[c]))
        if register:
            out["risks"] = register
    except AppraisalError as error:
        out["error"] = str(error)
    return out


def ppp_layout(vfm, ap, payments, first_operating_year: int) -> dict:
    """Value for money, availability payment, debt and IRRs as kept in a run."""
    debt = ap.finance.debt
    return {
        "vfm": {
            "rate": vfm.rate,
            "psc": vfm.psc.amount,
            "psc_components": {k: m.amount for k, m in vfm.psc_components.items()},
            "ppp": vfm.ppp.amount,
            "ppp_components": {k: m.amount for k, m in vfm.ppp_components.items()},
            "vfm": vfm.vfm.amount,
            "vfm_share": vfm.vfm_share,
            "favours_ppp": vfm.favours_ppp,
        },
        "availability_payment": {
            "first_year": ap.first_year_payment,
            "payments": floats(payments),
            "target": ap.target,
            "target_irr": ap.target_irr,
        },
        "debt": {
            "amount": debt.amount,
            "rate": debt.rate,
            "min_dscr": finite_or_none(debt.min_dscr),
            "avg_dscr": finite_or_none(debt.avg_dscr),
            "min_llcr": finite_or_none(debt.min_llcr),
            "min_plcr": finite_or_none(np.nanmin(debt.plcr)),
            "dscr": [finite_or_none(v) for v in debt.dscr],
            "service": floats(debt.service),
            "first_operating_year": first_operating_year,
        },
        "project_irr": ap.finance.project_irr,
        "project_irr_note": ap.finance.project_irr_note,
        "equity_irr": ap.finance.equity_irr,
        "equity_irr_note": ap.finance.equity_irr_note,
    }
