"""Appraisal methods a project opts into beside the defaults, from snapshot to layout.

A project's ``assumptions`` may choose:

* ``"residual": {"method": "net_flows", "remaining_life": years}``: the residual value
  as the present value of the net flows after the reference period (EU CBA Guide 2014,
  section 2.8.2, preferred for revenue-generating projects), at the financial discount
  rate, in place of the residual value lines;
* ``"flat_rate_sector": sector``: the funding gap also by the flat-rate net revenue
  percentage of the sector (Regulation (EU) No 1303/2013, Annex V);
* ``"economic": {"skilled_share_of_opex", "unskilled_share_of_opex", "labour_factors",
  "vat_rate", "subsidy_share_of_revenue"}``: labour in the opex valued by category
  (default factors those of the EU CBA Guide's incinerator case, 1.00 and 0.60), VAT
  removed from capex, replacements, opex and revenue, subsidies from revenue;
* ``"ppp": {"risk_register", "optimism_bias"}`` of a PPP: see app.appraisals.vfm_risks;
* ``"scenarios"`` and ``"carbon_variants"``: see :mod:`app.appraisals.scenario_results`;
* ``"taxes"``: VAT, working capital and profit tax in the financial analysis: see
  :mod:`app.appraisals.choices.taxes`;
* ``"inflation": {"general": rate, "capex": ..., "opex": ..., "revenue": ...,
  "benefits": ...}`` for a project in current prices (nominal): the general rate makes
  the discount rates nominal (Fisher), each line's rate brings it back to constant
  prices for the economic analysis (see :mod:`appraisal.analysis.nominal`). Without a
  general rate, :data:`DEFAULT_INFLATION` is assumed and labelled so.

:func:`methods_of` keeps the choices in a snapshot (an empty dict when none: the
whole-pipeline batch computes only those, and sends the others to the single path);
:func:`flows_with_methods` applies them to the engine's flows; :func:`methods_layout`
gives the ``methods`` part of a run (None when no method was chosen).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.appraisals.choices.taxes import taxes_of
from app.appraisals.vfm_risks import vfm_risks_of
from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.economic import INCINERATOR_LABOUR_FACTORS, EconomicInputs, vat_share
from appraisal.analysis.inflation import Inflation, fisher_nominal
from appraisal.analysis.nominal import deflate, deflate_economic
from appraisal.analysis.parameters import ParameterSet
from appraisal.analysis.residual import (
    flat_rate_gap,
    residual_from_net_flows,
    with_residual,
)
from appraisal.errors import InvalidParameterError
from appraisal.uncertainty.scenarios import ILLUSTRATIVE_SCENARIOS

__all__ = [
    "DEFAULT_INFLATION",
    "INCINERATOR_SOURCE",
    "economic_options",
    "RESIDUAL_SOURCE",
    "flows_with_methods",
    "general_inflation",
    "in_constant_prices",
    "inflation_from",
    "methods_layout",
    "methods_of",
    "scenarios_of",
]

#: General inflation assumed for a nominal project that gives none: the ECB's
#: medium-term inflation target (monetary policy strategy statement, 2021).
DEFAULT_INFLATION = {
    "value": 0.02,
    "source": "default assumption: the ECB's 2 % medium-term inflation target",
}
_LINE_GROUPS = ("capex", "opex", "revenue", "benefits")
INCINERATOR_SOURCE = (
    "default: the EU CBA Guide (2014) waste incinerator case, skilled labour 1.00 and "
    "unskilled 0.60"
)

RESIDUAL_SOURCE = (
    "EU Guide to Cost-Benefit Analysis of Investment Projects (2014), section 2.8.2: "
    "present value of the net flows in the remaining life of the assets"
)


def _inflation_of(given: Mapping) -> dict:
    general = given.get("general")
    out = {
        "general": (
            dict(DEFAULT_INFLATION)
            if general is None
            else {"value": general, "source": "project assumption"}
        )
    }
    for group in _LINE_GROUPS:
        if given.get(group) is not None:
            out[group] = {"value": given[group], "source": "project assumption"}
    return out


_ECONOMIC_KEYS = (
    "skilled_share_of_opex",
    "unskilled_share_of_opex",
    "vat_rate",
    "subsidy_share_of_revenue",
)


def _economic_of(given: Mapping) -> dict | None:
    chosen = {k: given[k] for k in _ECONOMIC_KEYS if given.get(k) is not None}
    if not chosen:
        return None
    out = {k: {"value": v, "source": "project assumption"} for k, v in chosen.items()}
    factors = given.get("labour_factors")
    out["labour_factors"] = (
        {"value": factors, "source": "project assumption"}
        if factors
        else {"value": dict(INCINERATOR_LABOUR_FACTORS), "source": INCINERATOR_SOURCE}
    )
    return out


def economic_options(snap: Mapping) -> dict:
    """The EconomicInputs fields a run's chosen economic method sets (empty when none)."""
    spec = (snap.get("methods") or {}).get("economic")
    if not spec:
        return {}
    value = {k: v["value"] for k, v in spec.items()}
    opex = ("fixed_opex", "variable_opex")
    split = {
        category: value[f"{category}_share_of_opex"]
        for category in ("skilled", "unskilled")
        if f"{category}_share_of_opex" in value
    }
    transfer: dict[str, float] = {}
    if "vat_rate" in value:
        transfer = dict.fromkeys(
            ("capex", "replacement", *opex, "revenue"), vat_share(value["vat_rate"])
        )
    if "subsidy_share_of_revenue" in value:
        kept = 1.0 - transfer.get("revenue", 0.0)
        transfer["revenue"] = 1.0 - kept * (1.0 - value["subsidy_share_of_revenue"])
    factors = value["labour_factors"]
    if not isinstance(factors, Mapping) or not all(
        isinstance(f, int | float) and not isinstance(f, bool) for f in factors.values()
    ):
        raise InvalidParameterError(
            'labour_factors must map a labour category to a number, e.g. {"unskilled": 0.6}'
        )
    return {
        "labour_split": dict.fromkeys(opex, split) if split else {},
        "labour_factors": dict(factors),
        "transfer_share": transfer,
    }


def methods_of(
    assumptions: Mapping,
    price_basis: str = "real",
    ppp: bool = False,
    chosen: Mapping | None = None,
) -> dict:
    """The methods a project's assumptions choose, as plain JSON for a snapshot
    (``chosen``: what the run form set, labelled so where a source is shown)."""
    out: dict = {}
    vfm = vfm_risks_of(assumptions.get("ppp") or {}) if ppp else None
    if vfm:
        out["vfm_risks"] = vfm
    if price_basis == "nominal":
        out["inflation"] = _inflation_of(assumptions.get("inflation") or {})
    residual = assumptions.get("residual") or {}
    if residual.get("method") == "net_flows":
        out["residual"] = {
            "method": "net_flows",
            "remaining_life": residual.get("remaining_life"),
        }
    sector = assumptions.get("flat_rate_sector")
    if sector:
        out["flat_rate_sector"] = str(sector)
    scenarios = scenarios_of(assumptions.get("scenarios"))
    if scenarios:
        out["scenarios"] = scenarios
    if assumptions.get("carbon_variants"):
        out["carbon_variants"] = True
    economic = _economic_of(assumptions.get("economic") or {})
    if economic:
        out["economic"] = economic
    taxes = taxes_of(assumptions.get("taxes") or {}, (chosen or {}).get("taxes") or {})
    if taxes:
        out["taxes"] = taxes
    return out


def inflation_from(snap: Mapping) -> Inflation | None:
    """The inflation of a nominal run, None for a run in constant prices.

    Raises
    ------
    InvalidRateError, InvalidParameterError
        A rate that is not a number above -100 %.
    """
    spec = (snap.get("methods") or {}).get("inflation")
    if not spec:
        return None
    return Inflation.of(
        spec["general"]["value"],
        {k: v["value"] for k, v in spec.items() if k != "general"},
    )


def in_constant_prices(flows: YearlyFlows, economic: EconomicInputs, inflation: Inflation | None):
    """The flows and economic inputs of a run in constant prices: a nominal run's
    deflated line by line (sensitivity, Monte Carlo and PPP run on them)."""
    if inflation is None or not flows.nominal:
        return flows, economic
    years, base = flows.years, flows.price_base_year
    return deflate(flows, inflation), deflate_economic(economic, inflation, years, base)


def general_inflation(snap: Mapping) -> float | None:
    """The general inflation of a nominal run (for the Fisher rate), else None."""
    inflation = inflation_from(snap)
    return None if inflation is None else inflation.general


def scenarios_of(given) -> dict | None:
    """The scenarios of a snapshot from a project's ``"scenarios"`` assumption (kept as
    given: the run checks them and says what is wrong)."""
    if not given:
        return None
    if given is True:
        return {
            "illustrative": True,
            "cases": {s.name: dict(s.multipliers) for s in ILLUSTRATIVE_SCENARIOS},
        }
    return {"illustrative": False, "cases": given}


def _residual(flows: YearlyFlows, params: ParameterSet, snap: Mapping):
    spec = (snap.get("methods") or {}).get("residual")
    if not spec:
        return None
    return residual_from_net_flows(flows, params.financial_discount_rate, spec["remaining_life"])


def flows_with_methods(flows: YearlyFlows, params: ParameterSet, snap: Mapping) -> YearlyFlows:
    """The flows with the chosen residual value in place (unchanged when none is chosen).

    Raises
    ------
    InvalidParameterError
        A remaining life that is not a whole number of years > 0.
    """
    residual = _residual(flows, params, snap)
    return flows if residual is None else with_residual(flows, residual.value)


def methods_layout(snap: Mapping, flows: YearlyFlows, params: ParameterSet) -> dict | None:
    """The ``methods`` part of a run: each chosen method with its terms and source."""
    methods = snap.get("methods") or {}
    if not methods:
        return None
    out: dict = {"residual": None, "flat_rate": None, "nominal": None}
    out["economic"] = methods.get("economic")
    inflation = inflation_from(snap)
    if inflation is not None:
        real = {
            "financial": params.financial_discount_rate,
            "social": params.social_discount_rate,
        }
        out["nominal"] = {
            "inflation": methods["inflation"],
            "rates": {group: inflation.rate(group) for group in _LINE_GROUPS},
            "financial_real": real["financial"],
            "financial_nominal": fisher_nominal(real["financial"], inflation.general),
            "source": "EU CBA Guide 2014, section 2.7; Regulation (EU) No 480/2014, Article 19",
        }
    residual = _residual(flows, params, snap)
    if residual is not None:
        out["residual"] = {
            "yearly_net_flow": residual.yearly_net_flow,
            "remaining_life": residual.remaining_life,
            "rate": residual.rate,
            "value": residual.value,
            "note": residual.note,
            "source": RESIDUAL_SOURCE,
        }
    sector = methods.get("flat_rate_sector")
    if sector:
        gap = flat_rate_gap(sector, float(flows.capex.sum()), params.cofinancing_rate)
        out["flat_rate"] = {
            "sector": gap.sector,
            "flat_rate": gap.flat_rate,
            "source": gap.source,
            "eligible_cost": gap.eligible_cost,
            "decision_amount": gap.decision_amount,
            "cofinancing_rate": gap.cofinancing_rate,
            "grant": gap.grant,
        }
    return out
