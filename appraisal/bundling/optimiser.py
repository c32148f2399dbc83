"""Capital budgeting: the best bundle of projects by 0-1 integer programming.

The model: one 0-1 choice per candidate; any number of named resource limits
(capex per year, opex, staff time...); sector minimums and maximums in money or in
number of projects (:class:`SectorRule`); requirements (B needs A), exclusions,
variant groups (at most one), must-include and must-exclude. It maximises the
candidates' value (ENPV by default) or any score the caller passes. The problem is
built by :mod:`appraisal.bundling.inputs` and solved by :mod:`appraisal.bundling.solver`
(which says how the solver is chosen); the frontier and the budget curve
(:mod:`appraisal.bundling.frontier`) are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from appraisal.bundling.explain import BundleResult
from appraisal.bundling.frontier import budget_curve, pareto_frontier
from appraisal.bundling.inputs import Candidate, RuleArg, ScoreArg, SectorRule, build_problem
from appraisal.bundling.solver import HIGHS_MAX_CANDIDATES, solve_problem

__all__ = [
    "Candidate",
    "SectorRule",
    "BundleResult",
    "optimise_bundle",
    "solve_problem",
    "pareto_frontier",
    "budget_curve",
    "HIGHS_MAX_CANDIDATES",
]


def optimise_bundle(
    candidates: Iterable[Candidate],
    limits: Mapping[str, float],
    *,
    sector_min: RuleArg = None,
    sector_max: RuleArg = None,
    must_include: Iterable[str] = (),
    must_exclude: Iterable[str] = (),
    time_limit: float = 60.0,
    gap: float = 1e-4,
    solver: str | None = None,
    objective: ScoreArg = None,
    explain: bool = True,
) -> BundleResult:
    """Choose the set of candidates with the greatest total value within the limits.

    Parameters
    ----------
    candidates : iterable of Candidate
        The projects (and variants) to choose from.
    limits : Mapping[str, float]
        Amount available of each resource the candidates use (``float("inf")`` for
        none). Every resource a candidate uses needs a limit or a sector rule.
    sector_min, sector_max : Mapping[str, SectorRule | int | list[SectorRule]], optional
        Per sector, a minimum / maximum: a :class:`SectorRule` in money
        (``SectorRule(5e6, "capex_2027")``), a number of projects (``SectorRule(2)`` or
        just ``2``), or a list of rules.
    must_include, must_exclude : iterable of str
        Candidate ids forced in or out.
    time_limit : float
        Seconds for the main solve (the explanation solves get as long again).
    gap : float
        Relative optimality gap at which the solver may stop (1e-4 = 0.01 %).
    solver : {None, "cbc", "highs"}
        None picks by size (see the module notes).
    objective : Mapping[str, float] or callable, optional
        The score to maximise instead of ``Candidate.value``: a score per id (e.g. gap
        closure weighted by gap size) or a function of the candidate.
    explain : bool
        Compute the binding limits' shadow prices and the plain-words explanation (one
        LP relaxation plus one per binding limit; for an infeasible problem, the
        deletion filter).

    Returns
    -------
    BundleResult

    Raises
    ------
    BundleInputError
        Bad limits, unknown or duplicate ids, a candidate forced both in and out.
    CyclicRequirementError
        Requirements that form a cycle (the cycle is in ``.cycle``).

    Examples
    --------
    >>> cands = [
    ...     Candidate("p1", 10.0, {"capex_2027": 60.0}, sector="Energy"),
    ...     Candidate("p2", 7.0, {"capex_2027": 50.0}, sector="Energy"),
    ...     Candidate("p3", 6.0, {"capex_2027": 40.0}, requires=["p2"]),
    ... ]
    >>> r = optimise_bundle(cands, {"capex_2027": 100.0})
    >>> r.selected, r.objective, r.status, r.binding
    (['p2', 'p3'], 13.0, 'optimal', ['capex_2027'])
    """
    problem = build_problem(
        list(candidates),
        limits,
        sector_min=sector_min,
        sector_max=sector_max,
        must_include=must_include,
        must_exclude=must_exclude,
        objective=objective,
    )
    return solve_problem(problem, time_limit=time_limit, gap=gap, solver=solver, explain=explain)
