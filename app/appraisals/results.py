"""Compute an appraisal run from its snapshot and lay the results out as JSON.

The layout (kept in ``AppraisalRun.results``) is:

* ``summary``: the contract shared with bundles and matching (see ``SUMMARY_KEYS``);
* ``price_basis``, ``currency``, ``price_base_year``, ``parameter_set``;
* ``flows``: the yearly lines and the net flow;
* ``financial``: FNPV/FRR on C and K (IRR notes when there is none), sustainability,
  funding gap, the financing plan used for K;
* ``economic``: ENPV, ERR, B/C, present values per economic line;
* ``verdict``: accept, reasons, failed tests;
* ``ppp``: value for money, availability payment, debt and cover ratios, or None;
* ``sensitivity``: elasticities, switching values and tornado bars of the ENPV;
* ``monte_carlo``: summaries of ENPV, FNPV/C and ERR, and an ENPV histogram, or None;
* ``financing_plan``: the project's financing plan (sources and uses per year, loans,
  DSCR, LLCR, affordability; see app.financing.plan), ``{"error"}`` when it does not
  balance, or None when the project has none;
* ``methods``: the methods the project chose (app.appraisals.methods), or None.

Optional parts (PPP, sensitivity) that the engine cannot compute carry ``"error"``
with the engine's message; an error in the core CBA is raised and nothing is kept.
"""

from __future__ import annotations

import importlib.metadata
import math
from collections.abc import Callable, Mapping

import numpy as np

from app.appraisals.choices.taxes import fnpv_lines_of, taxes_layout, terms_from
from app.appraisals.inputs import (
    economic_from,
    finite_or_none,
    flows_from,
    parameters_from,
    uncertainty_from,
)
from app.appraisals.methods import (
    flows_with_methods,
    in_constant_prices,
    inflation_from,
    methods_layout,
)
from app.appraisals.monte_carlo_results import HISTOGRAM_BINS, monte_carlo_layout
from app.appraisals.ppp_results import floats, ppp_results
from app.appraisals.scenario_results import chosen_parts
from app.financing.plan import plan_results
from appraisal.analysis.cashflows import LINE_KINDS
from appraisal.analysis.cba import Appraisal, Financing, appraise, funding_gap
from appraisal.discounting.metrics import npv, pmt
from appraisal.errors import AppraisalError
from appraisal.finance.financial_taxes import taxed_flows
from appraisal.finance.taxed_analysis import with_terms
from appraisal.uncertainty.montecarlo import cba_models
from appraisal.uncertainty.risk import elasticities, model_npv, switching_values, tornado

__all__ = [
    "ENGINE_VERSION",
    "SUMMARY_KEYS",
    "HISTOGRAM_BINS",
    "compute_results",
    "core_layout",
    "json_safe",
    "financing_for",
    "layout_results",
    "sensitivity_layout",
]

SUMMARY_KEYS = (
    "fnpv_c",
    "frr_c",
    "fnpv_k",
    "frr_k",
    "enpv",
    "err",
    "bcr",
    "funding_gap_rate",
    "verdict",
    "currency",
    "price_base_year",
    "price_basis",
    "financial_discount_rate",
    "social_discount_rate",
)

try:  # kept with each run: which engine computed it
    ENGINE_VERSION = importlib.metadata.version("united-smart-cities")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a source checkout
    ENGINE_VERSION = "unknown"

Progress = Callable[[float, str], None]


def _nothing(_fraction: float, _message: str = "") -> None:
    return None


def financing_for(
    flows, params, assumptions: Mapping, inflation: float | None = None, extra_costs=None
) -> Financing:
    """The funding-gap grant and national money for the capex; a loan if assumed
    (``inflation``: the general rate of a run in current prices; ``extra_costs``: the
    working capital and profit tax a yearly operating deficit also covers)."""
    n = flows.years.size
    capex = np.asarray(flows.capex, dtype=float)
    total = float(capex.sum())
    grant_total = funding_gap(flows, params, inflation=inflation).grant.amount
    share = capex / total if total > 0 else np.zeros(n)
    grant = grant_total * share
    rest = capex - grant
    loan_share = assumptions["loan_share"]["value"]
    loan = rest * loan_share
    service = np.zeros(n)
    if loan.sum() > 0:
        first = int(np.flatnonzero(capex)[-1]) + 1 if capex.any() else 0
        tenor = int(assumptions["loan_tenor"]["value"])
        yearly = -pmt(assumptions["loan_rate"]["value"], tenor, float(loan.sum()))
        service[first : first + tenor] = yearly
    cover = float(assumptions.get("operating_deficit_cover", {"value": 0.0})["value"])
    deficit = np.asarray(flows.opex + flows.replacement - flows.revenue, dtype=float) + service
    if extra_costs is not None:
        deficit = deficit + extra_costs
    support = np.clip(deficit, 0.0, None) * cover
    return Financing(
        eu_grant=grant.tolist(),
        national_public=(rest - loan).tolist(),
        loan_drawdown=loan.tolist(),
        loan_service=service.tolist(),
        operating_support=support.tolist(),
    )


def core_layout(
    a: Appraisal, financing: Financing, n: int, lines_pv: Mapping[str, float] | None = None
) -> dict:
    """The financial, economic and verdict parts of a run; ``lines_pv`` gives the present
    value of each economic line when the caller has them (a batch), else computed here."""
    fin, eco = a.financial, a.economic
    gap = fin.funding_gap
    lines = {}
    for name, values in eco.lines.items():
        lines[name] = npv(eco.social_discount_rate, values) if lines_pv is None else lines_pv[name]
    return {
        "financial": {
            "fnpv_c": fin.fnpv_c.amount,
            "frr_c": fin.frr_c,
            "frr_c_note": fin.frr_c_note,
            "fnpv_k": None if fin.fnpv_k is None else fin.fnpv_k.amount,
            "frr_k": fin.frr_k,
            "frr_k_note": fin.frr_k_note,
            "sustainability": {
                "sustainable": fin.sustainability.sustainable,
                "failing_years": list(fin.sustainability.failing_years),
                "cumulated": floats(fin.sustainability.cumulated),
            },
            "funding_gap": {
                "dic": gap.dic.amount,
                "dnr": gap.dnr.amount,
                "rate": gap.rate,
                "eligible_cost": gap.eligible_cost.amount,
                "decision_amount": gap.decision_amount.amount,
                "cofinancing_rate": gap.cofinancing_rate,
                "grant": gap.grant.amount,
                "note": gap.note,
            },
            "financing": {
                name: floats(financing.line(name, n))
                for name in (
                    "eu_grant",
                    "national_public",
                    "loan_drawdown",
                    "loan_service",
                    "operating_support",
                )
            },
        },
        "economic": {
            "enpv": eco.enpv.amount,
            "err": eco.err,
            "err_note": eco.err_note,
            "bcr": eco.bc_ratio,
            "pv_benefits": eco.pv_benefits.amount,
            "pv_costs": eco.pv_costs.amount,
            "social_discount_rate": eco.social_discount_rate,
            "lines_pv": {k: float(v) for k, v in lines.items()},
            "carbon_conversion": (
                None if eco.carbon_conversion is None else eco.carbon_conversion.explain()
            ),
        },
        "verdict": {
            "accept": a.verdict.accept,
            "reasons": list(a.verdict.reasons),
            "failed": list(a.verdict.failed),
        },
    }


def sensitivity_layout(
    params,
    elasticity: tuple[float, list] | str,
    switching: list | None = None,
    bars: tuple[float, list] | None = None,
    fin_switching: list | None = None,
    error: str | None = None,
    financial_base: float | None = None,
) -> dict:
    """The ``sensitivity`` part of a run: ENPV elasticities (or why none), switching values,
    tornado bars, FNPV/C switching values and the FNPV/C they move from (or the error)."""
    out: dict = {"npv": "ENPV", "rate": params.social_discount_rate}
    if isinstance(elasticity, str):
        out["elasticities_error"] = elasticity
    else:
        out["base"] = elasticity[0]
        out["elasticities"] = [
            {"variable": e.variable, "elasticity": e.elasticity, "critical": e.critical}
            for e in elasticity[1]
        ]
    if error is not None:
        return out | {"error": error}
    out["switching_values"] = [
        {"variable": s.variable, "value": s.value, "change": s.change, "note": s.note}
        for s in switching
    ]
    out["base"] = bars[0]
    out["tornado"] = [
        {
            "variable": b.variable,
            "low": b.low,
            "high": b.high,
            "npv_low": b.npv_low,
            "npv_high": b.npv_high,
        }
        for b in bars[1]
    ]
    out["financial_switching_values"] = [
        {"variable": s.variable, "value": s.value, "change": s.change, "note": s.note}
        for s in fin_switching
    ]
    return out | {"financial_base": financial_base}


def _sensitivity(fin_model, eco_model, ranges: Mapping, params) -> dict:
    base = eco_model.base_values()
    if not base:
        return {"npv": "ENPV", "rate": params.social_discount_rate} | {
            "error": "no uncertain variable drives a line of this project"
        }
    rate = params.social_discount_rate
    try:
        elasticity: tuple[float, list] | str = elasticities(eco_model, base, rate)
    except AppraisalError as error:
        elasticity = str(error)
    try:
        switching = switching_values(eco_model, base, rate)
        bars = tornado(eco_model, base, ranges, rate)
        fin_base = fin_model.base_values()
        fin_switching = switching_values(fin_model, fin_base, params.financial_discount_rate)
    except AppraisalError as error:
        return sensitivity_layout(params, elasticity, error=str(error))
    base = float(model_npv(fin_model, fin_base, params.financial_discount_rate)[0])
    return sensitivity_layout(params, elasticity, switching, bars, fin_switching, None, base)


_PLAIN = (str, int, bool, type(None))


def json_safe(value):
    """NaN and infinities become None: JSON (and PostgreSQL's json) has no such numbers.

    Plain dicts, lists and floats are checked by their exact type first: a run holds
    thousands of values, and the whole-pipeline re-appraisal lays out thousands of runs.
    """
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): json_safe(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        if all(type(v) is float and v - v == 0 for v in value):  # v - v is NaN unless finite
            return list(value)  # the usual yearly series: finite floats already
        return [json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float | np.floating):
        return finite_or_none(value)
    return value


def compute_results(snap: Mapping, progress: Progress = _nothing) -> dict:
    """Run the engine on a snapshot; raise AppraisalError when the core CBA cannot be done."""
    params = parameters_from(snap)
    flows = flows_with_methods(flows_from(snap), params, snap)
    economic = economic_from(snap)
    n = flows.years.size
    progress(0.05, "financial and economic analysis")
    inflation = inflation_from(snap)  # None in constant prices
    general = None if inflation is None else inflation.general
    terms = terms_from(snap)
    taxed = None if terms is None else taxed_flows(flows, terms)
    financing = financing_for(
        flows if taxed is None else taxed.flows,
        params,
        snap["financing"],
        inflation=general,
        extra_costs=None if taxed is None else taxed.extra_costs,
    )
    a = appraise(flows, params, economic=economic, financing=financing, inflation=inflation)
    if taxed is not None:  # VAT, working capital and tax: the financial analysis again
        a = with_terms(a, taxed, params, financing, general)
    core = core_layout(a, financing, n)
    eco = core["economic"]
    nominal_flows = flows  # shown as entered; the rest runs in constant prices
    flows, economic = in_constant_prices(flows, economic, inflation)

    progress(0.2, "sensitivity")
    # Only lines with money in them: a variable scaling zeros would show as inert.
    lines = {k for k, v in flows.signed_lines().items() if np.any(v)}
    lines |= {k for k, pv in eco["lines_pv"].items() if pv}
    distributions, drivers, ranges = uncertainty_from(snap, lines)
    fin_lines = fnpv_lines_of(snap, flows)  # with VAT and working capital, as the base
    if drivers:
        models = cba_models(flows, params, economic, drivers, financial_lines=fin_lines)
        sensitivity = _sensitivity(*models, ranges, params)
    else:
        sensitivity = {"error": "no uncertain variable drives a line of this project"}
    progress(0.35, "Monte Carlo")
    mc = monte_carlo_layout(flows, params, economic, snap, distributions, drivers, fin_lines)
    progress(0.85, "PPP value for money" if snap.get("ppp") else "saving")
    ppp = ppp_results(flows, params, snap) if snap.get("ppp") else None
    results = layout_results(snap, nominal_flows, params, core, sensitivity, mc, ppp)
    if taxed is not None:
        spec = snap["methods"]["taxes"]
        rate = a.financial.financial_discount_rate
        results["methods"]["taxes"] = json_safe(taxes_layout(spec, taxed, financing, rate))
    return results


def layout_results(
    snap: Mapping, flows, params, core: dict, sensitivity, mc, ppp, *, safe: bool = True
) -> dict:
    """A run's results as kept (the layout in this module's docstring), JSON-safe.

    With ``safe=False`` NaN and infinities are left for the caller to check (a batch
    checks them while serialising, with ``json.dumps(..., allow_nan=False)``, and makes
    safe with :func:`json_safe` only the rare run that holds one).
    """
    fin, eco = core["financial"], core["economic"]
    terms = snap.get("financing_plan")
    plan = plan_results(snap, terms) if terms else None
    summary = {
        "fnpv_c": fin["fnpv_c"],
        "frr_c": fin["frr_c"],
        "fnpv_k": fin["fnpv_k"],
        "frr_k": fin["frr_k"],
        "enpv": eco["enpv"],
        "err": eco["err"],
        "bcr": finite_or_none(eco["bcr"]),
        "funding_gap_rate": fin["funding_gap"]["rate"],
        "verdict": "accept" if core["verdict"]["accept"] else "reject",
        "currency": flows.currency,
        "price_base_year": flows.price_base_year,
        "price_basis": flows.price_basis,
        "financial_discount_rate": params.financial_discount_rate,
        "social_discount_rate": params.social_discount_rate,
    }
    results = {
        "summary": summary,
        "currency": flows.currency,
        "price_base_year": flows.price_base_year,
        "price_basis": flows.price_basis,
        "parameter_set": {
            "name": params.name,
            "version": params.version,
            "financial_discount_rate": params.financial_discount_rate,
            "social_discount_rate": params.social_discount_rate,
            "cofinancing_rate": params.cofinancing_rate,
            "overrides": dict(snap.get("overrides") or {}),
            "sources": {k: str(v) for k, v in params.sources.items()},
        },
        "flows": {"years": [int(y) for y in flows.years]}
        | {k: floats(getattr(flows, k)) for k in LINE_KINDS}
        | {"net": floats(flows.net)},
        **core,
        "ppp": ppp,
        "sensitivity": sensitivity,
        "monte_carlo": mc,
        "financing_plan": plan,
        "methods": methods_layout(snap, flows, params),
    }
    if results["methods"] is not None:
        results["methods"] |= chosen_parts(snap, flows, params)
    return json_safe(results) if safe else results
