"""Solve a bundle (appraisal.bundles) and keep the result as JSON with words in money.

The stored result holds what the page shows, so the page never re-solves: the
selection, each limit's use against its amount, binding limits, what raising each
budget adds (re-solved as a 0-1 problem: app.bundles.advice; the LP relaxation's shadow
prices are kept in the result as estimates, not shown as advice), the solver status with
its bound and gap, the budget curve, the ENPV / gap-closure frontier (with why, when it
has one point), and for an infeasible set every conflict in words with the changes a
re-solve confirmed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.bundles.advice import frontier_note, raise_advice, raise_rows, repair_lines
from app.bundles.inputs import MILLION, OptimiserInput, candidate_id, project_id_of, with_titles
from app.core.formatting import money
from appraisal.bundling.optimiser import budget_curve, optimise_bundle, pareto_frontier
from appraisal.errors import AppraisalError

__all__ = ["SolveSettings", "INLINE", "IN_JOB", "solve", "score_unit"]


@dataclass(frozen=True)
class SolveSettings:
    """Time limits (seconds) and gaps for the main solve and the charts' solves.

    ``total`` caps the whole run: the charts' solves share what the main solve left.
    """

    time_limit: float
    gap: float
    chart_time_limit: float
    chart_gap: float
    frontier_points: int
    total: float

    def chart_limit(self, elapsed: float) -> float:
        """Seconds for each chart solve (6 budget-curve points, the frontier's points + 2)."""
        solves = 6 + self.frontier_points + 2
        return min(self.chart_time_limit, max(0.2, (self.total - elapsed) / solves))


# Inline runs must answer within a request; jobs may take longer and look harder.
INLINE = SolveSettings(6.0, 1e-4, 1.5, 1e-3, 7, total=15.0)
IN_JOB = SolveSettings(120.0, 1e-4, 20.0, 1e-3, 9, total=900.0)


def score_unit(objective: str, currency: str) -> str:
    return {
        "enpv": f"{currency} m of ENPV",
        "gap_closure": "gap-closure points",
        "mix": "points of the weighted mix",
    }.get(objective, "points")


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def solve(
    inp: OptimiserInput,
    *,
    objective: str,
    currency: str,
    price_base_year: int,
    settings: SolveSettings,
    progress: Callable[[float, str], None] = lambda fraction, message: None,
) -> dict:
    """Optimise, then the budget curve and the frontier; a JSON-ready result."""
    titles = {project_id_of(cid): row.project.title for cid, row in inp.rows.items()}
    base = {
        "objective_kind": objective,
        "score_unit": score_unit(objective, currency),
        "currency": currency,
        "price_base_year": price_base_year,
        "candidates": len(inp.candidates),
        "optimised_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "left_out": [
            {"project_id": row.project.id, "title": row.project.title, "reason": why}
            for row, why in inp.left_out
        ],
        "rows": {
            str(project_id_of(cid)): {
                "enpv": row.enpv,
                "gap": row.gap_closure,
                "costs": {str(y): c for y, c in row.costs.items()},
                "opex": row.opex_per_year,
            }
            for cid, row in inp.rows.items()
        },
    }
    progress(0.05, "Solving the bundle")
    started = time.monotonic()
    result = optimise_bundle(
        inp.candidates,
        inp.limits,
        **inp.options(),
        objective=inp.scores,
        time_limit=settings.time_limit,
        gap=settings.gap,
        explain=True,
    )
    explanation = [with_titles(line, titles) for line in result.explanation]
    out = base | {
        "status": result.status,
        "objective": _finite(result.objective),
        "bound": _finite(result.bound),
        "gap": _finite(result.gap),
        "solver": result.solver,
        "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
        "selected": [project_id_of(cid) for cid in result.selected],
        "explanation": explanation,
        "conflict": list(result.conflict),
    }
    unit = score_unit(objective, currency)
    if result.status == "infeasible":
        out["conflicts"] = [list(c) for c in result.conflicts]
        out["fixes"] = repair_lines(
            result.repairs, inp, titles, unit, lambda v: money(v, currency, price_base_year)
        )
        out["limits"] = _limit_table(inp, [], {}, {}, [])
        return out
    chosen = set(result.selected)
    out["enpv_total"] = sum(inp.rows[c].enpv or 0.0 for c in chosen)
    out["gap_total"] = sum(inp.rows[c].gap_closure for c in chosen)
    out["binding"] = list(result.binding)
    out["limits"] = _limit_table(
        inp, result.selected, result.shadow_prices, result.gain_10pct, result.binding
    )
    confirmed = raise_rows(result.raises)
    for row in out["limits"]:
        row.update(confirmed.get(row["name"], {"gain_10pct_int": None}))
    out["advice"] = raise_advice(result.raises, inp, titles, unit, currency, price_base_year)
    limit = settings.chart_limit(time.monotonic() - started)
    progress(0.4, "Tracing the budget curve")
    out["curve"] = _curve(inp, settings, limit)
    progress(0.7, "Tracing the ENPV / gap-closure frontier")
    out["frontier"] = _frontier(inp, settings, limit)
    if len(out["frontier"]) == 1:
        best = [candidate_id(pid) for pid in out["frontier"][0]["selected"]]
        out["frontier_note"] = frontier_note(inp, best, currency)
    return out


def _limit_table(inp, selected, prices, gains, binding) -> list[dict]:
    chosen = set(selected)
    table = []
    for name, amount in inp.limits.items():
        used = sum(c.costs.get(name, 0.0) for c in inp.candidates if c.id in chosen)
        table.append(
            {
                "name": name,
                "label": inp.limit_labels.get(name, name),
                "limit": amount * MILLION if math.isfinite(amount) else None,
                "used": used * MILLION,
                "binding": name in binding,
                "shadow_price": prices.get(name, 0.0),
                "gain_10pct": gains.get(name, 0.0),
            }
        )
    return table


def _curve(inp: OptimiserInput, settings: SolveSettings, limit: float) -> list[dict]:
    if not inp.budget_names:
        return []
    try:
        points = budget_curve(
            inp.candidates,
            inp.limits,
            resources=inp.budget_names,
            objective=inp.scores,
            time_limit=limit,
            gap=settings.chart_gap,
            **inp.options(),
        )
    except AppraisalError:
        return []
    return [
        {
            "scale": p.scale,
            "budget": sum(p.limits[n] for n in inp.budget_names) * MILLION,
            "objective": _finite(p.objective),
            "marginal": _finite(p.marginal),
            "status": p.status,
        }
        for p in points
    ]


def _frontier(inp: OptimiserInput, settings: SolveSettings, limit: float) -> list[dict]:
    if inp.enpv_scores is None or not any(v > 0 for v in inp.gap_scores.values()):
        return []
    try:
        points = pareto_frontier(
            inp.candidates,
            inp.limits,
            first=inp.enpv_scores,
            second=inp.gap_scores,
            points=settings.frontier_points,
            time_limit=limit,
            gap=settings.chart_gap,
            **inp.options(),
        )
    except AppraisalError:
        return []
    return [
        {
            "enpv": p.first * MILLION,
            "gap": p.second,
            "selected": [project_id_of(c) for c in p.selected],
            "status": p.status,
        }
        for p in points
    ]
