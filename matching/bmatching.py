"""Exact solvers for bipartite b-matching: projects x partners with loads.

The model: one 0/1 variable per candidate edge; each project takes at most its
demand, each partner between its minimum and its maximum load; forced edges are
fixed to 1. Its constraint matrix is the incidence matrix of a bipartite graph, which
is totally unimodular, and so stays the problem with one extra row "at least K edges"
(it is a min-cost flow with a fixed flow value): every vertex of the LP is integral.
HiGHS's interior point with crossover returns a vertex, so the LP optimum is the
integer optimum; the solution is still checked and, were it fractional, re-solved as
a MILP. The dense one-to-one case goes to :func:`scipy.optimize.linear_sum_assignment`.

Raising the worst-served project first (max-min) is not totally unimodular (with
demands above one it is a max-min fair allocation, NP-hard in general): it is solved
with :func:`scipy.optimize.milp`, exact but for small and medium problems.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp

from matching.errors import CapacityError, SolverError

__all__ = [
    "Problem",
    "solve_total",
    "solve_one_to_one",
    "solve_max_min",
    "max_coverage",
    "solve_milp",
]

_INTEGRAL_TOL = 1e-6
_INFEASIBLE = (
    "the minimum loads, forced pairs, demands and capacities cannot all hold; "
    "lower the minimum loads or free some forced pairs"
)


@dataclass(frozen=True, eq=False)
class Problem:
    """A b-matching instance over E candidate edges (arrays indexed by edge or node)."""

    score: np.ndarray
    project: np.ndarray
    partner: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    min_load: np.ndarray
    forced: np.ndarray

    def incidence(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        edges = np.arange(len(self.score))
        ones = np.ones(len(edges))
        by_project = sp.csr_matrix(
            (ones, (self.project, edges)), shape=(len(self.demand), len(edges))
        )
        by_partner = sp.csr_matrix(
            (ones, (self.partner, edges)), shape=(len(self.capacity), len(edges))
        )
        return by_project, by_partner


def _rows(problem: Problem, min_count: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """A_ub, b_ub: loads at most demand / capacity, at least min_load and min_count."""
    by_project, by_partner = problem.incidence()
    blocks = [by_project, by_partner]
    bounds = [problem.demand, problem.capacity]
    has_min = problem.min_load > 0
    if has_min.any():
        blocks.append(-by_partner[has_min])
        bounds.append(-problem.min_load[has_min])
    if min_count > 0:
        blocks.append(-sp.csr_matrix(np.ones((1, len(problem.score)))))
        bounds.append(np.array([-min_count]))
    return sp.vstack(blocks, format="csr"), np.concatenate(bounds).astype(float)


def _lp(problem: Problem, objective: np.ndarray, min_count: int = 0) -> np.ndarray:
    """Maximise objective @ x over the b-matching polytope; return the 0/1 vector."""
    a_ub, b_ub = _rows(problem, min_count)
    lower = problem.forced.astype(float)
    bounds = np.column_stack([lower, np.ones_like(lower)])
    result = linprog(-objective, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs-ipm")
    if result.status == 2:
        raise CapacityError(_INFEASIBLE)
    if result.status != 0:
        raise SolverError(f"the LP solver stopped: {result.message}; check the scores")
    x = result.x
    if np.abs(x - np.round(x)).max() > _INTEGRAL_TOL:
        # Not expected (the polytope is integral), but a non-vertex answer is possible
        # if crossover is skipped: the MILP gives the same optimum as a 0/1 vector.
        constraint = LinearConstraint(a_ub, -np.inf, b_ub)
        x = solve_milp(-objective, [constraint], lower, 1.0, len(lower), None)
    return np.round(x).astype(bool)


def solve_milp(
    c,
    constraints,
    lower,
    upper,
    integral: int,
    time_limit: float | None,
    *,
    infeasible: str = _INFEASIBLE,
) -> np.ndarray:
    """Minimise c @ z with scipy's milp; the first ``integral`` variables are integers.

    Raises CapacityError(``infeasible``) when nothing is feasible, SolverError when the
    optimum is not proven (time limit).
    """
    options = {} if time_limit is None else {"time_limit": time_limit}
    integrality = np.zeros(len(c))
    integrality[:integral] = 1
    result = milp(
        c,
        constraints=constraints,
        bounds=Bounds(lower, upper),
        integrality=integrality,
        options=options,
    )
    if result.status == 2:
        raise CapacityError(infeasible)
    if result.status != 0:
        raise SolverError(
            f"the MILP solver stopped without a proven optimum ({result.message}); "
            "raise time_limit or split the problem"
        )
    return result.x


def max_coverage(problem: Problem) -> int:
    """The largest number of edges any feasible assignment holds."""
    return int(_lp(problem, np.ones(len(problem.score))).sum())


def solve_total(problem: Problem) -> np.ndarray:
    """Fill as many demanded slots as possible, then maximise the total score.

    The score-only optimum is tried first: when it fills every slot, or as many as the
    coverage optimum, it is also the lexicographic optimum, and one LP suffices.
    """
    x = _lp(problem, problem.score)
    filled = int(x.sum())
    if filled == int(problem.demand.sum()):
        return x
    best = max_coverage(problem)
    if best == filled:
        return x
    return _lp(problem, problem.score, min_count=best)


def solve_one_to_one(problem: Problem) -> np.ndarray:
    """Demands and capacities at most 1, no minimum loads: dense Hungarian method.

    Forced edges are taken first. Missing edges cost M = N * (score range) + 1, more
    than any difference in score between two assignments with the same number of real
    edges, so the solver first uses as many real edges as it can, then the best ones.
    """
    x = problem.forced.copy()
    used_p = np.bincount(problem.project[x], minlength=len(problem.demand))
    used_q = np.bincount(problem.partner[x], minlength=len(problem.capacity))
    rows = np.flatnonzero(problem.demand - used_p > 0)
    cols = np.flatnonzero(problem.capacity - used_q > 0)
    row_of = np.full(len(problem.demand), -1)
    col_of = np.full(len(problem.capacity), -1)
    row_of[rows] = np.arange(len(rows))
    col_of[cols] = np.arange(len(cols))
    free = np.flatnonzero((row_of[problem.project] >= 0) & (col_of[problem.partner] >= 0))
    if len(free) == 0:
        return x
    s = problem.score[free]
    spread = float(s.max() - s.min())
    penalty = min(len(rows), len(cols)) * spread + 1.0
    cost = np.full((len(rows), len(cols)), float(s.max()) + penalty)
    edge = np.full((len(rows), len(cols)), -1)
    r, c = row_of[problem.project[free]], col_of[problem.partner[free]]
    cost[r, c] = s.max() - s
    edge[r, c] = free
    chosen = edge[linear_sum_assignment(cost)]
    x[chosen[chosen >= 0]] = True
    return x


def solve_max_min(problem: Problem, *, time_limit: float | None = None) -> np.ndarray:
    """Fill as many slots as possible, then raise the worst-served project, then the total.

    A project's service is the sum of its assigned scores over its demand (an unfilled
    slot counts as zero). Three exact solves: coverage (LP), max-min (MILP), total
    with the max-min level held (MILP).
    """
    best = max_coverage(problem)
    a_ub, b_ub = _rows(problem, best)
    n = len(problem.score)
    # A project with no candidate at all would pin the worst service at zero whatever
    # the others get; it is reported as unmet and left out of the max-min.
    degree = np.bincount(problem.project, minlength=len(problem.demand))
    served = np.flatnonzero((problem.demand > 0) & (degree > 0))
    if len(served) == 0:
        return solve_total(problem)
    by_project, _ = problem.incidence()
    weighted = by_project[served].multiply(problem.score[None, :]).tocsr()
    weighted = sp.diags(1.0 / problem.demand[served]) @ weighted
    fairness = sp.hstack([weighted, -np.ones((len(served), 1))], format="csr")
    loads = sp.hstack([a_ub, sp.csr_matrix((a_ub.shape[0], 1))], format="csr")
    constraints = [
        LinearConstraint(loads, -np.inf, b_ub),
        LinearConstraint(fairness, 0.0, np.inf),
    ]
    lower = np.append(problem.forced.astype(float), -np.inf)
    # No project's service exceeds the best score (or 0 when every score is negative).
    upper = np.append(np.ones(n), max(float(problem.score.max()), 0.0))
    raise_worst = np.zeros(n + 1)
    raise_worst[-1] = -1.0
    level = solve_milp(raise_worst, constraints, lower, upper, n, time_limit)[-1]
    # Hold the worst service at its optimum, less a hair for the solver's tolerance.
    lower[-1] = level - 1e-7 * max(1.0, abs(level))
    z = solve_milp(np.append(-problem.score, 0.0), constraints, lower, upper, n, time_limit)
    return np.round(z[:n]).astype(bool)
