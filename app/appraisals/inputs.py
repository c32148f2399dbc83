"""From a Project and its CashFlowLine rows to the pure appraisal engine's inputs.

An appraisal run keeps a *snapshot*: a JSON-able dict holding everything needed to
reproduce it (the yearly lines, the parameter set's name and version, the overrides,
the economic, financing and PPP assumptions, the uncertain variables and the seed).
The engine's inputs are always rebuilt from a snapshot, never from the live rows, so
a run computed later (as a job) or recomputed for a comparison sees what was asked.

Assumptions that the project rows do not hold are taken from
``project.assumptions`` when set there (``"ppp"``, ``"financing"``, ``"economic"``
keys), otherwise from the documented defaults below; each is labelled with where it
came from so the page can show them as assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from app.appraisals.methods import economic_options, methods_of
from app.models import FlowKind, PriceBasis, Project
from app.parameter_sets.registry import resolve_parameter_set
from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.economic import EconomicInputs
from appraisal.analysis.parameters import ParameterSet
from appraisal.uncertainty.montecarlo import Normal, Pert, Triangular, Uniform

__all__ = [
    "DISTRIBUTIONS",
    "DEFAULT_UNCERTAINTY",
    "DEFAULT_PPP",
    "DEFAULT_FINANCING",
    "VARIABLE_LINES",
    "LINE_NAMES",
    "project_fields",
    "snapshot",
    "snapshot_lines",
    "snapshot_of",
    "flows_from",
    "economic_from",
    "parameters_from",
    "uncertainty_from",
    "is_ppp",
]

# Line kinds of the database -> line names of appraisal.cashflows.YearlyFlows.
_FINANCIAL_KINDS = {
    FlowKind.CAPEX: "capex",
    FlowKind.REPLACEMENT: "replacement",
    FlowKind.OPEX_FIXED: "fixed_opex",
    FlowKind.OPEX_VARIABLE: "variable_opex",
    FlowKind.REVENUE: "revenue",
    FlowKind.RESIDUAL_VALUE: "residual",
}
_ECONOMIC_KINDS = {
    FlowKind.ECONOMIC_BENEFIT: "economic_benefit",
    FlowKind.EXTERNALITY: "externality",
    FlowKind.CO2_TONNES: "co2_tonnes",
}

#: The uncertain variables offered to users, and the engine lines each one scales.
VARIABLE_LINES: dict[str, tuple[str, ...]] = {
    "capex": ("capex", "replacement"),
    "opex": ("fixed_opex", "variable_opex"),
    "revenue": ("revenue",),
    "benefits": ("benefit:economic benefit", "externality:externalities", "co2"),
}

#: Distribution names a user may pick.
DISTRIBUTIONS = ("triangular", "pert", "normal", "uniform")

#: Ranges around the base, in % (low, high), and the distribution of each variable.
#: Cost overruns are more likely than savings and demand shortfalls more likely than
#: surpluses (optimism bias), hence the skewed defaults.
DEFAULT_UNCERTAINTY: dict[str, dict] = {
    "capex": {"low_pct": -10.0, "high_pct": 30.0, "distribution": "triangular"},
    "opex": {"low_pct": -10.0, "high_pct": 20.0, "distribution": "triangular"},
    "revenue": {"low_pct": -20.0, "high_pct": 10.0, "distribution": "triangular"},
    "benefits": {"low_pct": -30.0, "high_pct": 10.0, "distribution": "triangular"},
}

#: PPP assumptions used when ``project.assumptions["ppp"]`` does not set them.
DEFAULT_PPP: dict[str, float] = {
    "debt_rate": 0.05,  # senior debt all-in rate, real
    "target_dscr": 1.30,  # availability-based deals are sculpted to about 1.2-1.35
    "gearing": 0.80,  # debt share of capex
    "target_equity_irr": 0.10,  # sponsor's required equity return, real
    "indexation": 0.0,  # real terms: payments flat in constant prices
    "transferable_risk_share": 0.10,  # of PSC capex + opex, transferred under the PPP
    "retained_risk_share": 0.03,  # of PSC capex + opex, kept by the public side
    "competitive_neutrality_share": 0.0,  # tax and insurance advantages of public delivery
}

#: Financing plan used for FNPV/K when ``project.assumptions["financing"]`` is absent:
#: the EU grant is the funding-gap grant, the rest of the capex is national public money.
DEFAULT_FINANCING: dict[str, float] = {
    # Share of the yearly operating deficit (opex and replacements not met by revenue)
    # that the city's budget covers: public services without user charges run on it.
    # Set it to 0 to test whether the service stands on its own revenue.
    "operating_deficit_cover": 1.0,
    "loan_share": 0.0,  # of the capex not covered by the grant
    "loan_rate": 0.03,
    "loan_tenor": 20,
}


def is_ppp(delivery_model: str) -> bool:
    return delivery_model.startswith("ppp")


def _labelled(defaults: Mapping[str, float], given: Mapping | None) -> dict[str, dict]:
    """Each assumption with its value and where it came from."""
    given = given or {}
    out = {}
    for key, value in defaults.items():
        if key in given and given[key] is not None:
            out[key] = {"value": float(given[key]), "source": "project assumption"}
        else:
            out[key] = {"value": float(value), "source": "default assumption"}
    return out


#: Line names of a snapshot, in order.
LINE_NAMES = (*_FINANCIAL_KINDS.values(), *_ECONOMIC_KINDS.values())
_LINE_OF_KIND = {kind.value: name for kind, name in (_FINANCIAL_KINDS | _ECONOMIC_KINDS).items()}


def snapshot_lines(n: int, rows) -> dict[str, list[float]]:
    """The yearly lines of a snapshot from ``(year, kind, amount)`` rows (amounts added up;
    years outside the horizon left out)."""
    lines = {name: [0.0] * n for name in LINE_NAMES}
    for year, kind, amount in rows:
        if 0 <= year < n:
            # FlowKind is a StrEnum: a member and its value are the same key.
            lines[_LINE_OF_KIND[kind]][year] += float(amount)
    return lines


def _lines(project: Project) -> dict[str, list[float]]:
    return snapshot_lines(
        project.horizon_years, ((line.year, line.kind, line.amount) for line in project.cash_flows)
    )


def project_fields(project: Project) -> dict:
    """The project columns a snapshot keeps."""
    return {
        "id": project.id,
        "title": project.title,
        "delivery_model": project.delivery_model.value,
        "currency": project.currency,
        "price_base_year": project.price_base_year,
        "price_basis": PriceBasis(project.price_basis).value,
        "start_year": project.start_year,
        "horizon_years": project.horizon_years,
    }


def snapshot(
    project: Project,
    *,
    parameter_set: str,
    version: str | None = None,
    overrides: Mapping[str, float] | None = None,
    draws: int = 0,
    uncertainty: Mapping[str, Mapping] | None = None,
    seed: int | None = None,
    financing_plan: Mapping | None = None,
    methods: Mapping | None = None,
) -> dict:
    """Everything a run needs, as plain JSON, taken from the project's rows now.

    ``methods`` are the run's method choices (in the shape of ``project.assumptions``;
    see app.appraisals.choices.form), over the project's assumptions.

    ``financing_plan`` is the terms of the project's financing plan (see
    app.financing.plan), kept so the run shows the plan as it was.

    ``overrides`` holds decimal rates (``financial_discount_rate``,
    ``social_discount_rate``); ``uncertainty`` per variable ``low_pct``, ``high_pct``
    (percent around the base) and ``distribution``.
    """
    return snapshot_of(
        project_fields(project),
        _lines(project),
        project.assumptions or {},
        parameter_set=parameter_set,
        version=version,
        overrides=overrides,
        draws=draws,
        uncertainty=uncertainty,
        seed=seed,
        financing_plan=financing_plan,
        methods=methods,
    )


def with_choices(assumptions: Mapping, chosen: Mapping | None) -> dict:
    """The project's assumptions with a run's choices over them (one level deep)."""
    merged = dict(assumptions)
    for key, value in (chosen or {}).items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = dict(merged[key]) | dict(value)
        else:
            merged[key] = value
    return merged


def snapshot_of(
    fields: Mapping,
    lines: dict[str, list[float]],
    assumptions: Mapping,
    *,
    parameter_set: str,
    version: str | None = None,
    overrides: Mapping[str, float] | None = None,
    draws: int = 0,
    uncertainty: Mapping[str, Mapping] | None = None,
    seed: int | None = None,
    financing_plan: Mapping | None = None,
    methods: Mapping | None = None,
) -> dict:
    """:func:`snapshot` from a project's columns (:func:`project_fields`), its lines
    (:func:`snapshot_lines`) and its assumptions: what a batch reads without the ORM."""
    params = resolve_parameter_set(parameter_set, version)  # fails early on an unknown name
    chosen = methods or {}
    assumptions = with_choices(assumptions, chosen)
    economic = assumptions.get("economic") or {}
    labour = assumptions.get("labour_share_of_opex", economic.get("labour_share_of_opex"))
    variables = {}
    for name, default in DEFAULT_UNCERTAINTY.items():
        spec = dict(default) | dict((uncertainty or {}).get(name) or {})
        variables[name] = {
            "low_pct": float(spec["low_pct"]),
            "high_pct": float(spec["high_pct"]),
            "distribution": str(spec["distribution"]),
        }
    if seed is None and draws > 0:  # a seed is kept only where draws use it
        seed = int(np.random.default_rng().integers(1, 2**31 - 1))
    return {
        "project": dict(fields),
        "lines": lines,
        "parameter_set": {"name": params.name, "version": params.version},
        "overrides": {k: float(v) for k, v in (overrides or {}).items() if v is not None},
        "economic": {
            "labour_share_of_opex": None if labour is None else float(labour),
            "include_revenues": bool(economic.get("include_revenues", True)),
        },
        "financing": _labelled(DEFAULT_FINANCING, assumptions.get("financing")),
        "ppp": (
            _labelled(DEFAULT_PPP, assumptions.get("ppp"))
            if is_ppp(fields["delivery_model"])
            else None
        ),
        "monte_carlo": {"draws": int(draws), "seed": seed, "variables": variables},
        "financing_plan": None if financing_plan is None else dict(financing_plan),
        "methods": methods_of(
            assumptions,
            fields["price_basis"],
            ppp=is_ppp(fields["delivery_model"]),
            chosen=chosen,
        ),
    }


def flows_from(snap: Mapping) -> YearlyFlows:
    """The project's financial lines as the engine's YearlyFlows."""
    p, lines = snap["project"], snap["lines"]
    return YearlyFlows(
        start_year=p["start_year"],
        currency=p["currency"],
        price_base_year=p["price_base_year"],
        nominal=p["price_basis"] == PriceBasis.NOMINAL.value,
        **{name: np.asarray(lines[name], dtype=float) for name in _FINANCIAL_KINDS.values()},
    )


def economic_from(snap: Mapping) -> EconomicInputs:
    """Benefits, externalities, CO2 and labour shares for the economic analysis."""
    lines, eco = snap["lines"], snap["economic"]
    benefits = {}
    externalities = {}
    if any(lines["economic_benefit"]):
        benefits["economic benefit"] = lines["economic_benefit"]
    if any(lines["externality"]):
        externalities["externalities"] = lines["externality"]
    labour = eco.get("labour_share_of_opex")
    return EconomicInputs(
        labour_share=({} if labour is None else {"fixed_opex": labour, "variable_opex": labour}),
        benefits=benefits,
        externalities=externalities,
        co2_tonnes=lines["co2_tonnes"] if any(lines["co2_tonnes"]) else None,
        include_revenues=eco.get("include_revenues", True),
        **economic_options(snap),
    )


def parameters_from(snap: Mapping) -> ParameterSet:
    """The named set, derived under a new name when the run overrides a rate."""
    ref = snap["parameter_set"]
    params = resolve_parameter_set(ref["name"], ref["version"])
    overrides = snap.get("overrides") or {}
    if not overrides:
        return params
    rates = ", ".join(f"{k.replace('_', ' ')} {v * 100:g} %" for k, v in overrides.items())
    return params.derive(
        f"{params.name} with overrides",
        params.version,
        source=f"set for this run by programme staff ({rates})",
        **overrides,
    )


def _distribution(spec: Mapping):
    low = 1.0 + spec["low_pct"] / 100.0
    high = 1.0 + spec["high_pct"] / 100.0
    kind = spec["distribution"]
    if kind == "triangular":
        return Triangular(low, 1.0, high)
    if kind == "pert":
        return Pert(low, 1.0, high)
    if kind == "uniform":
        return Uniform(low, high)
    if kind == "normal":
        # The range is read as a 90 % interval: mean at its middle, +/-1.645 SD wide.
        return Normal((low + high) / 2.0, (high - low) / (2 * 1.6448536269514722))
    raise ValueError(f"unknown distribution {kind!r}; choose one of {DISTRIBUTIONS}")


def uncertainty_from(snap: Mapping, line_names: set[str]) -> tuple[dict, dict, dict]:
    """Distributions, drivers and (low, high) ranges of the variables that drive a line.

    A variable whose lines the project does not have (e.g. revenue of a free
    service) is left out: it cannot move any result.
    """
    distributions, drivers, ranges = {}, {}, {}
    for name, spec in snap["monte_carlo"]["variables"].items():
        lines = [line for line in VARIABLE_LINES[name] if line in line_names]
        if not lines:
            continue
        drivers[name] = lines
        distributions[name] = _distribution(spec)
        ranges[name] = (1.0 + spec["low_pct"] / 100.0, 1.0 + spec["high_pct"] / 100.0)
    return distributions, drivers, ranges


def finite_or_none(value) -> float | None:
    """A float for JSON, None for NaN/inf/None (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
