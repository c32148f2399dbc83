"""The scenario and carbon price variant parts of a run (see app.appraisals.methods).

A project opts in through its assumptions: ``"scenarios": true`` for the illustrative
pessimistic / base / optimistic cases of :data:`appraisal.uncertainty.scenarios.
ILLUSTRATIVE_SCENARIOS`, or ``{"name": {"capex": 1.2, ...}, ...}`` for its own (the
variables of :data:`app.appraisals.inputs.VARIABLE_LINES`); ``"carbon_variants": true``
for the ENPV under each carbon price path the parameter set's family offers.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.appraisals.choices.taxes import fnpv_lines_of
from app.appraisals.inputs import economic_from, finite_or_none, uncertainty_from
from app.appraisals.methods import in_constant_prices, inflation_from
from appraisal.analysis.economic import economic_lines
from appraisal.analysis.parameters import carbon_price_variants
from appraisal.errors import InvalidParameterError
from appraisal.uncertainty.scenarios import (
    Scenario,
    carbon_variants,
    scenario_analysis,
)

__all__ = ["carbon_layout", "chosen_parts", "scenarios_layout"]


def scenarios_layout(spec: Mapping, snap: Mapping, flows, params, economic) -> dict:
    """FNPV/C, ENPV and B/C of each scenario (``flows`` and ``economic`` in constant
    prices)."""
    eco_lines, _ = economic_lines(flows, params, economic)
    fin_lines = fnpv_lines_of(snap, flows) or flows.signed_lines()
    _, drivers, _ = uncertainty_from(snap, set(fin_lines) | set(eco_lines))
    given = spec["cases"]
    if not isinstance(given, Mapping) or not all(isinstance(m, Mapping) for m in given.values()):
        raise InvalidParameterError(
            "the scenarios assumption must be true, or name -> {variable: multiplier}, "
            'e.g. {"pessimistic": {"capex": 1.2}}'
        )
    cases = [Scenario(str(name), dict(mults)) for name, mults in given.items()]
    results = scenario_analysis(
        fin_lines,
        eco_lines,
        drivers,
        cases,
        financial_rate=params.financial_discount_rate,
        social_rate=params.social_discount_rate,
    )
    return {
        "illustrative": spec["illustrative"],
        "financial_discount_rate": params.financial_discount_rate,
        "social_discount_rate": params.social_discount_rate,
        "cases": [
            {
                "name": r.name,
                "multipliers": dict(r.multipliers),
                "fnpv_c": r.fnpv,
                "enpv": r.enpv,
                "bcr": finite_or_none(r.bc_ratio),
            }
            for r in results
        ],
    }


def carbon_layout(snap: Mapping, flows, params, economic) -> dict:
    """ENPV and B/C under each carbon price path of the set's family, or why there are none."""
    name = snap["parameter_set"]["name"]
    paths = carbon_price_variants(name)
    if not paths:
        return {"note": f"the parameter set {name} offers one carbon price path"}
    results = carbon_variants(flows, params, economic, paths)
    return {
        "variants": [
            {
                "label": label,
                "enpv": r.enpv.amount,
                "bcr": finite_or_none(r.bc_ratio),
                "price_2030": float(paths[label].price([2030])[0]),
                "path_currency": paths[label].currency,
                "path_price_base_year": paths[label].price_base_year,
                "source": paths[label].source,
            }
            for label, r in results.items()
        ]
    }


def chosen_parts(snap: Mapping, flows, params) -> dict:
    """The ``scenarios`` and ``carbon_variants`` parts of a run's ``methods`` (None when
    not chosen), computed in constant prices."""
    methods = snap.get("methods") or {}
    real, economic = in_constant_prices(flows, economic_from(snap), inflation_from(snap))
    scenarios = methods.get("scenarios")
    return {
        "scenarios": scenarios_layout(scenarios, snap, real, params, economic)
        if scenarios
        else None,
        "carbon_variants": (
            carbon_layout(snap, real, params, economic) if methods.get("carbon_variants") else None
        ),
    }
