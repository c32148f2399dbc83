"""Trade-offs of a bundle: two-objective Pareto frontier and the budget curve.

Both re-solve the bundle problem of :func:`appraisal.bundling.optimiser.optimise_bundle` many
times and are importable from :mod:`appraisal.bundling.optimiser`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from appraisal.bundling.inputs import Candidate, ConstraintGroup, ScoreArg, build_problem
from appraisal.bundling.solver import solve_problem
from appraisal.errors import BundleInputError

__all__ = ["FrontierPoint", "BudgetPoint", "pareto_frontier", "budget_curve"]

_PROBLEM_KEYS = ("sector_min", "sector_max", "must_include", "must_exclude")
_SOLVE_KEYS = ("time_limit", "gap", "solver")


@dataclass(frozen=True)
class FrontierPoint:
    """One efficient bundle: its two scores and the chosen ids."""

    first: float
    second: float
    selected: list[str]
    status: str


@dataclass(frozen=True)
class BudgetPoint:
    """Best bundle when the scaled limits are ``scale`` times their given amount.

    ``marginal`` is the score gained per extra unit of the scaled limits (summed) since
    the previous point (NaN for the first point or an infeasible one).
    """

    scale: float
    limits: dict[str, float]
    objective: float
    selected: list[str]
    status: str
    marginal: float


def _split(options: Mapping[str, object]) -> tuple[dict, dict]:
    unknown = set(options) - set(_PROBLEM_KEYS) - set(_SOLVE_KEYS)
    if unknown:
        raise BundleInputError(f"unknown option(s) {sorted(unknown)}; see optimise_bundle")
    problem = {k: v for k, v in options.items() if k in _PROBLEM_KEYS}
    solve = {k: v for k, v in options.items() if k in _SOLVE_KEYS}
    return problem, {"explain": False, **solve}


def pareto_frontier(
    candidates: Iterable[Candidate],
    limits: Mapping[str, float],
    *,
    second: ScoreArg,
    first: ScoreArg = None,
    points: int = 11,
    **options: object,
) -> list[FrontierPoint]:
    """Efficient bundles for two objectives by the epsilon-constraint method.

    Maximises ``first`` subject to ``second >= eps`` for ``points`` values of eps
    evenly spaced between the ``second`` score of the best-``first`` bundle and the
    best ``second`` score, then keeps the non-dominated bundles.

    Parameters
    ----------
    candidates, limits
        As for :func:`appraisal.bundling.optimiser.optimise_bundle`.
    second : Mapping[str, float] or callable
        The second score per candidate (e.g. gap closure weighted by gap size).
    first : Mapping[str, float] or callable, optional
        The first score; ``Candidate.value`` (ENPV) by default.
    points : int
        Number of epsilon steps (at least 2).
    **options
        ``sector_min``, ``sector_max``, ``must_include``, ``must_exclude``,
        ``time_limit``, ``gap``, ``solver`` as for ``optimise_bundle``.

    Returns
    -------
    list[FrontierPoint]
        Ordered by ``second`` ascending, so ``first`` descends.

    Raises
    ------
    InfeasibleBundleError
        When no bundle satisfies the limits at all.

    Examples
    --------
    >>> cands = [Candidate("a", 5.0, {"k": 1}), Candidate("b", 3.0, {"k": 1})]
    >>> pts = pareto_frontier(cands, {"k": 1}, second={"a": 0.0, "b": 1.0}, gap=0.0)
    >>> [(p.first, p.second, p.selected) for p in pts]
    [(5.0, 0.0, ['a']), (3.0, 1.0, ['b'])]
    """

    if not isinstance(points, int) or points < 2:
        raise BundleInputError(f"points is {points!r}; give a whole number of at least 2")
    prob_opts, solve_opts = _split(options)
    cands = list(candidates)
    p1 = build_problem(cands, limits, objective=first, **prob_opts)  # type: ignore[arg-type]
    p2 = dataclasses.replace(p1, scores=build_problem(cands, limits, objective=second).scores)
    best1 = solve_problem(p1, **solve_opts)  # type: ignore[arg-type]
    if best1.status == "infeasible":
        res = solve_problem(p1, **{**solve_opts, "explain": True})  # type: ignore[arg-type]
        res.require_feasible()
    best2 = solve_problem(p2, **solve_opts)  # type: ignore[arg-type]
    index = p1.index()

    def scores(selected: Sequence[str]) -> tuple[float, float]:
        on = np.zeros(len(p1.ids))
        on[[index[c] for c in selected]] = 1.0
        return float(p1.scores @ on), float(p2.scores @ on)

    lo, hi = scores(best1.selected)[1], best2.objective
    found = [FrontierPoint(*scores(best1.selected), best1.selected, best1.status)]
    every = np.arange(len(p1.ids))
    for eps in np.linspace(lo, hi, points)[1:]:
        # A hair below eps, so the solver's tolerances never cut off the eps bundle.
        floor = float(eps) - 1e-9 * max(1.0, abs(float(eps)))
        row = (every, p2.scores, ">=", floor)
        extra = ConstraintGroup("score_min", "second", f"second score at least {eps:g}", (row,))
        res = solve_problem(dataclasses.replace(p1, groups=p1.groups + (extra,)), **solve_opts)  # type: ignore[arg-type]
        if res.status != "infeasible" and not math.isnan(res.objective):
            found.append(FrontierPoint(*scores(res.selected), res.selected, res.status))
    found.sort(key=lambda p: (p.second, -p.first))
    frontier: list[FrontierPoint] = []
    for p in found:
        dominated = any(
            q.first >= p.first
            and q.second >= p.second
            and (q.first, q.second) != (p.first, p.second)
            for q in found
        )
        repeat = any((q.first, q.second) == (p.first, p.second) for q in frontier)
        if not (dominated or repeat):
            frontier.append(p)
    return frontier


def budget_curve(
    candidates: Iterable[Candidate],
    limits: Mapping[str, float],
    *,
    scales: Sequence[float] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0),
    resources: Sequence[str] | None = None,
    objective: ScoreArg = None,
    **options: object,
) -> list[BudgetPoint]:
    """Best score as the limits scale: what each extra unit of budget buys.

    Parameters
    ----------
    candidates, limits
        As for :func:`appraisal.bundling.optimiser.optimise_bundle`.
    scales : sequence of float
        Factors applied to the scaled limits (sorted ascending in the result).
    resources : sequence of str, optional
        Limits to scale (default: all); the others stay as given.
    objective : Mapping[str, float] or callable, optional
        Score to maximise (``Candidate.value`` by default).
    **options
        ``sector_min``, ``sector_max``, ``must_include``, ``must_exclude``,
        ``time_limit``, ``gap``, ``solver`` as for ``optimise_bundle``.

    Returns
    -------
    list[BudgetPoint]
        Nondecreasing in ``objective`` over the feasible points: a bundle that fits a
        smaller budget still fits a larger one, so a larger budget never reports a
        worse bundle (this matters when ``gap`` > 0 lets the solver stop early).

    Examples
    --------
    >>> cands = [Candidate("a", 5.0, {"k": 4}), Candidate("b", 3.0, {"k": 4})]
    >>> [(p.scale, p.objective) for p in budget_curve(cands, {"k": 4}, scales=(0.5, 1, 2))]
    [(0.5, 0.0), (1.0, 5.0), (2.0, 8.0)]
    """

    names = list(limits) if resources is None else list(resources)
    unknown = [r for r in names if r not in limits]
    if unknown:
        raise BundleInputError(f"resources {unknown} have no limit; scale only given limits")
    bad = [s for s in scales if not (isinstance(s, (int, float)) and math.isfinite(s) and s >= 0)]
    if bad or not scales:
        raise BundleInputError(f"scales must be finite numbers >= 0, got {list(scales)!r}")
    prob_opts, solve_opts = _split(options)
    cands = list(candidates)
    out: list[BudgetPoint] = []
    prev: BudgetPoint | None = None
    for scale in sorted(float(s) for s in scales):
        scaled = {r: (v * scale if r in names else v) for r, v in limits.items()}
        problem = build_problem(cands, scaled, objective=objective, **prob_opts)  # type: ignore[arg-type]
        res = solve_problem(problem, **solve_opts)  # type: ignore[arg-type]
        objective_now, selected = res.objective, res.selected
        stale = prev is not None and not math.isnan(prev.objective)
        if stale and (math.isnan(objective_now) or prev.objective > objective_now):
            objective_now, selected = prev.objective, prev.selected
        marginal = math.nan
        if prev is not None and not math.isnan(prev.objective):
            added = sum(scaled[r] - prev.limits[r] for r in names if math.isfinite(limits[r]))
            if added > 0:
                marginal = (objective_now - prev.objective) / added
        status = res.status if selected is res.selected else "feasible"
        point = BudgetPoint(scale, scaled, objective_now, selected, status, marginal)
        out.append(point)
        prev = point
    return out
