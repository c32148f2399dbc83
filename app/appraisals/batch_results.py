"""Results of many appraisal runs at once: the whole-pipeline re-appraisal's engine.

:func:`compute_many` gives, for each snapshot, what :func:`app.appraisals.results.
compute_results` gives (the same layout, built by the same layout functions), or the
:class:`~appraisal.errors.AppraisalError` that refuses it. Projects with the same
horizon are stacked into ``(projects x years)`` arrays and go through the vectorised
engine together: NPVs with :func:`appraisal.batch.npv_many`, IRRs with
:func:`appraisal.batch.irr_many`, sensitivity in closed form
(:mod:`appraisal.uncertainty.risk_linear`), PPP payments and debt with
:mod:`appraisal.finance.ppp_batch`.

A snapshot outside the usual case (Monte Carlo draws, rate overrides, a loan, labour
shares, current prices, no capex, a method of :mod:`app.appraisals.methods`, a PPP the
closed form does not settle...) is computed by the single-project path, so every run
holds what that path would hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from app.appraisals.batch_ppp import ppp_many
from app.appraisals.inputs import flows_from, parameters_from, uncertainty_from
from app.appraisals.results import (
    compute_results,
    core_layout,
    layout_results,
    sensitivity_layout,
)
from appraisal.analysis.cashflows import LINE_KINDS
from appraisal.analysis.cba import (
    Appraisal,
    FinancialResult,
    Financing,
    FundingGap,
    Sustainability,
    verdict,
)
from appraisal.analysis.economic import (
    EconomicResult,
    carbon_price_in_project_prices,
    irr_or_reason_many,
)
from appraisal.analysis.money import Money
from appraisal.batch import npv_many
from appraisal.errors import AppraisalError
from appraisal.uncertainty.risk_linear import (
    linear_elasticities,
    linear_switching_values,
    linear_tornado,
)

__all__ = ["compute_many"]

_FIN = LINE_KINDS  # capex, replacement, fixed_opex, variable_opex, revenue, residual
_COST = {"capex", "replacement", "fixed_opex", "variable_opex"}
_ECO_EXTRA = (
    ("economic_benefit", "benefit:economic benefit"),
    ("externality", "externality:externalities"),
)


def _single(snap: Mapping) -> dict | AppraisalError:
    try:
        return compute_results(snap)
    except AppraisalError as error:
        return error


def _usual(snap: Mapping) -> bool:
    """Whether the batch arithmetic covers this snapshot (else the single path runs)."""
    lines = snap["lines"]
    fin = snap["financing"]
    return (
        snap["monte_carlo"]["draws"] == 0
        and not snap.get("overrides")
        and snap["project"]["price_basis"] == "real"
        and snap["economic"]["labour_share_of_opex"] is None
        and snap["economic"]["include_revenues"]
        and not snap.get("methods")  # a residual value or flat rate chosen by the project
        and fin["loan_share"]["value"] == 0
        and sum(lines["capex"]) > 0
        and len(lines["capex"]) == snap["project"]["horizon_years"]
    )


def compute_many(snaps: Sequence[Mapping]) -> list[dict | AppraisalError]:
    """Results (or the refusal) of each snapshot, in order.

    Snapshots are grouped by parameter set and horizon; each group is computed as one
    set of arrays. Results may hold NaN or infinities where a single run holds None:
    serialise them with :func:`app.appraisals.results.json_safe` or check them (the
    pipeline does, with ``json.dumps(..., allow_nan=False)``).
    """
    out: list[dict | AppraisalError | None] = [None] * len(snaps)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, snap in enumerate(snaps):
        if _usual(snap):
            ref = snap["parameter_set"]
            groups[(ref["name"], ref["version"], snap["project"]["horizon_years"])].append(i)
        else:
            out[i] = _single(snap)
    for idx in groups.values():
        for i, result in zip(idx, _group([snaps[i] for i in idx]), strict=True):
            out[i] = _single(snaps[i]) if result is None else result
    return out  # type: ignore[return-value]


class _Group:
    """The stacked arrays of one group and the vectorised results."""

    def __init__(self, snaps: Sequence[Mapping]):
        self.snaps = snaps
        self.params = parameters_from(snaps[0])
        lines = [s["lines"] for s in snaps]
        self.a = {name: np.array([ln[name] for ln in lines], dtype=float) for name in lines[0]}
        a = self.a
        self.ok = np.all(np.isfinite(np.stack(list(a.values()))), axis=(0, 2))
        self.ok &= np.max(np.abs(np.stack(list(a.values()))), axis=(0, 2)) <= 1e15
        self.opex = a["fixed_opex"] + a["variable_opex"]
        signed = [-a[k] if k in _COST else a[k] for k in _FIN]
        self.signed = dict(zip(_FIN, signed, strict=True))
        self.net = np.sum(np.stack(signed), axis=0)

    def financial(self) -> None:
        a, p = self.a, self.params
        fdr = p.financial_discount_rate
        capex = a["capex"]
        self.dic = npv_many(fdr, capex)
        self.ok &= self.dic > 0
        self.dnr = npv_many(fdr, a["revenue"] - self.opex - a["replacement"] + a["residual"])
        self.total = capex.sum(axis=1)
        raw = (self.dic - self.dnr) / self.dic
        self.raw, self.gap = raw, np.minimum(1.0, np.maximum(0.0, raw))
        decision = self.total * self.gap
        self.grant_total = decision * p.cofinancing_rate
        self.decision = decision
        share = capex / self.total[:, None]
        self.eu_grant = self.grant_total[:, None] * share
        self.national = capex - self.eu_grant
        cover = np.array([s["financing"]["operating_deficit_cover"]["value"] for s in self.snaps])
        deficit = self.opex + a["replacement"] - a["revenue"] + 0.0
        self.support = np.clip(deficit, 0.0, None) * cover[:, None]
        self.fnpv_c = npv_many(fdr, self.net)
        self.frr_c = irr_or_reason_many(self.net)
        k_flows = a["revenue"] + a["residual"] - self.opex - a["replacement"] - self.national
        self.fnpv_k = npv_many(fdr, k_flows)
        self.frr_k = irr_or_reason_many(k_flows)
        costs = capex + a["replacement"] + self.opex
        inflow = a["revenue"] + (self.eu_grant + self.national + self.support)
        self.cumulated = np.cumsum(inflow - costs, axis=1)
        big = np.maximum(np.abs(inflow).max(axis=1), np.abs(costs).max(axis=1))
        self.tolerance = 1e-9 * np.maximum(1.0, big)

    def economic(self) -> None:
        a, p = self.a, self.params
        factor = 0.0 * p.shadow_wage_factor + (1.0 - 0.0) * p.standard_conversion_factor
        eco = {k: self.signed[k] * factor for k in _FIN}
        for kind, name in _ECO_EXTRA:
            eco[name] = a[kind]
        eco["co2"] = np.zeros_like(a["co2_tonnes"])
        cache: dict[tuple, np.ndarray] = {}
        self.carbon = [None] * len(self.snaps)
        for i in np.flatnonzero(np.any(a["co2_tonnes"] != 0, axis=1)):
            pr = self.snaps[i]["project"]
            key = (pr["start_year"], pr["currency"], pr["price_base_year"])
            if key not in cache:
                years = np.arange(pr["start_year"], pr["start_year"] + a["capex"].shape[1])
                cache[key] = carbon_price_in_project_prices(
                    p, years, currency=pr["currency"], price_base_year=pr["price_base_year"]
                )
            prices, self.carbon[i] = cache[key]
            eco["co2"][i] = a["co2_tonnes"][i] * prices
        self.eco = eco
        stacked = np.stack(list(eco.values()))
        self.eco_net = np.sum(stacked, axis=0)
        sdr = p.social_discount_rate
        self.pv_b = npv_many(sdr, np.clip(stacked, 0.0, None).sum(axis=0))
        self.pv_c = npv_many(sdr, np.clip(-stacked, 0.0, None).sum(axis=0))
        self.ok &= self.pv_c > 0
        self.enpv = npv_many(sdr, self.eco_net)
        self.err = irr_or_reason_many(self.eco_net)
        self.eco_pv = {k: npv_many(sdr, v) for k, v in eco.items()}
        self.fin_pv = {k: npv_many(p.financial_discount_rate, v) for k, v in self.signed.items()}
        self.eco_scale = np.abs(self.eco_net).sum(axis=1)

    def present(self, i: int) -> dict[str, np.ndarray]:
        """The economic lines row ``i`` has (as :func:`economic_lines` would list them)."""
        lines = {k: self.eco[k][i] for k in _FIN}
        for kind, name in _ECO_EXTRA:
            if np.any(self.a[kind][i]):
                lines[name] = self.eco[name][i]
        if np.any(self.a["co2_tonnes"][i]):
            lines["co2"] = self.eco["co2"][i]
        return lines


def _appraisal(g: _Group, i: int, flows) -> tuple[Appraisal, Financing]:
    def money(x) -> Money:
        return Money(float(x), flows.currency, flows.price_base_year, flows.nominal)

    n = g.net.shape[1]
    raw = float(g.raw[i])
    note = (
        "net revenue is negative: rate capped at 100 %"
        if raw > 1
        else "net revenue covers the investment: no funding gap"
        if raw < 0
        else ""
    )
    gap = FundingGap(
        dic=money(g.dic[i]),
        dnr=money(g.dnr[i]),
        rate=float(g.gap[i]),
        eligible_cost=money(g.total[i]),
        decision_amount=money(g.decision[i]),
        cofinancing_rate=g.params.cofinancing_rate,
        grant=money(g.grant_total[i]),
        note=note,
    )
    financing = Financing(
        eu_grant=g.eu_grant[i].tolist(),
        national_public=g.national[i].tolist(),
        loan_drawdown=[0.0] * n,
        loan_service=[0.0] * n,
        operating_support=g.support[i].tolist(),
    )
    cumulated = g.cumulated[i]
    failing = tuple(int(y) for y in flows.years[cumulated < -g.tolerance[i]])
    fin = FinancialResult(
        financial_discount_rate=g.params.financial_discount_rate,
        fnpv_c=money(g.fnpv_c[i]),
        frr_c=g.frr_c[i][0],
        frr_c_note=g.frr_c[i][1],
        fnpv_k=money(g.fnpv_k[i]),
        frr_k=g.frr_k[i][0],
        frr_k_note=g.frr_k[i][1],
        sustainability=Sustainability(cumulated, failing, float(g.support[i].sum())),
        funding_gap=gap,
    )

    def real(x) -> Money:
        return Money(float(x), flows.currency, flows.price_base_year)

    eco = EconomicResult(
        lines=g.present(i),
        flows=g.eco_net[i],
        social_discount_rate=g.params.social_discount_rate,
        enpv=real(g.enpv[i]),
        err=g.err[i][0],
        err_note=g.err[i][1],
        bc_ratio=float(g.pv_b[i] / g.pv_c[i]),
        pv_benefits=real(g.pv_b[i]),
        pv_costs=real(g.pv_c[i]),
        carbon_conversion=g.carbon[i],
    )
    a = Appraisal(
        parameter_set=f"{g.params.name} ({g.params.version})",
        price_basis=flows.price_basis,
        financial=fin,
        economic=eco,
        verdict=verdict(fin, eco),
    )
    return a, financing


def _sensitivity(g: _Group, i: int, snap: Mapping, flows, lines_pv: Mapping) -> dict:
    present = {k for k, v in flows.signed_lines().items() if np.any(v)}
    present |= {k for k, pv in lines_pv.items() if pv}
    _, drivers, ranges = uncertainty_from(snap, present)
    params = g.params
    if not drivers:
        return {"error": "no uncertain variable drives a line of this project"}
    eco_lines = g.present(i)
    eco_slopes = {
        v: sum(float(g.eco_pv[k][i]) for k in names if k in eco_lines)
        for v, names in drivers.items()
    }
    fin_slopes = {
        v: sum(float(g.fin_pv[k][i]) for k in names if k in g.fin_pv)
        for v, names in drivers.items()
    }
    npv0 = float(g.enpv[i])
    try:
        elasticity: tuple[float, list] | str = (
            npv0,
            linear_elasticities(npv0, eco_slopes, float(g.eco_scale[i])),
        )
    except AppraisalError as error:
        elasticity = str(error)
    return sensitivity_layout(
        params,
        elasticity,
        linear_switching_values(npv0, eco_slopes),
        (npv0, linear_tornado(npv0, eco_slopes, ranges)),
        linear_switching_values(float(g.fnpv_c[i]), fin_slopes),
        financial_base=float(g.fnpv_c[i]),
    )


def _group(snaps: Sequence[Mapping]) -> list[dict | None]:
    """Results of snapshots of one parameter set and horizon; None: use the single path."""
    g = _Group(snaps)
    g.financial()
    g.economic()
    ppp = ppp_many(snaps, g.a, g.opex, g.params)
    out: list[dict | None] = []
    for i, snap in enumerate(snaps):
        if not g.ok[i] or (snap.get("ppp") and ppp[i] is None):
            out.append(None)
            continue
        flows = flows_from(snap)
        a, financing = _appraisal(g, i, flows)
        lines_pv = {k: float(g.eco_pv[k][i]) for k in a.economic.lines}
        core = core_layout(a, financing, g.net.shape[1], lines_pv)
        sens = _sensitivity(g, i, snap, flows, lines_pv)
        out.append(layout_results(snap, flows, g.params, core, sens, None, ppp[i], safe=False))
    return out
