"""Solving a bundle problem with PuLP (CBC or HiGHS), and explaining the answer.

The model: one 0-1 choice per candidate; any number of named resource limits
(capex per year, opex, staff time...); sector minimums and maximums in money or in
number of projects (:class:`SectorRule`); requirements (B needs A), exclusions,
variant groups (at most one), must-include and must-exclude. It maximises the
candidates' value (ENPV by default) or any score the caller passes.

Solvers
-------
``solver=None`` picks by size, from measurements on this project's benchmark
instances (``benchmarks/bench_bundles.py --choice``: 17 limits, 100 requirement and
exclusion pairs, gap 1e-4; seconds for seeds 0, 1, 2 on a 2-core machine):

======  ==================  =====================
n       HiGHS (via PuLP)    CBC (bundled, PuLP)
======  ==================  =====================
300     0.8, 4.2, 3.4       0.3, 1.8, 1.3
1,000   1.4, 21, 21         5.2, >30, 6.2
2,000   2.5, 3.8, 2.3       23, 15, >30
5,000   3.0, 1.8, 1.7       0.3, 6.0, 0.9
10,000  2.7 (direct)        0.5
30,000  13 (direct)         1.8
======  ==================  =====================

So HiGHS (in-process, needs ``highspy``) below :data:`HIGHS_MAX_CANDIDATES`, where
it avoids CBC's worst cases and its process start and file exchange (the
explanations run many small solves); CBC above, where HiGHS's presolve grows about
n^1.9 on long budget rows while CBC stays near linear. LP relaxations (shadow prices)
use HiGHS whenever it is installed. ``"cbc"`` or ``"highs"`` forces
one. ``status`` is ``"optimal"`` only when the solver proved the solution within the
relative ``gap``; after a time limit it is ``"time_limit"`` with the best ``bound`` and
``gap`` (PuLP's own status still reads "Optimal" then: we read the solver's).

This is the only module of the project that imports :mod:`pulp`.
"""

from __future__ import annotations

import math
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pulp

from appraisal.bundling.explain import BundleResult, binding_limits, describe_solution
from appraisal.bundling.inputs import (
    BundleProblem,
    ConstraintGroup,
)
from appraisal.bundling.whatif import (
    all_conflicts,
    conflicts_in_words,
    find_repairs,
    key_of,
    raise_gains,
)
from appraisal.errors import BundleInputError

__all__ = ["solve_problem", "HIGHS_MAX_CANDIDATES"]

#: Below this many candidates ``solver=None`` uses HiGHS (when installed), else CBC.
HIGHS_MAX_CANDIDATES = 5_000

_CBC_PATH = pulp.PULP_CBC_CMD.pulp_cbc_path


@dataclass
class _Solved:
    status: str
    x: np.ndarray | None
    objective: float
    bound: float
    model: pulp.LpProblem
    rows: dict[int, list[pulp.LpConstraint]]
    seconds: dict[str, float]


def _pick_solver(name: str | None, n: int) -> str:
    highs_ok = pulp.HiGHS().available()
    if name is None or name == "auto":
        return "highs" if highs_ok and n < HIGHS_MAX_CANDIDATES else "cbc"
    key = str(name).lower()
    if key not in ("cbc", "highs"):
        raise BundleInputError(f"unknown solver {name!r}; use None, 'cbc' or 'highs'")
    if key == "highs" and not highs_ok:
        raise BundleInputError("solver 'highs' needs the highspy package; install it or use 'cbc'")
    return key


def _build(
    problem: BundleProblem, groups: Sequence[ConstraintGroup], *, relax: bool, feasibility: bool
) -> tuple[pulp.LpProblem, list[pulp.LpVariable], dict[int, list[pulp.LpConstraint]]]:
    """The PuLP model; expressions from (variable, coefficient) lists, not lpSum (3.6x)."""
    model = pulp.LpProblem("bundle", pulp.LpMaximize)
    cat = pulp.LpContinuous if relax else pulp.LpBinary
    xs = [model.add_variable(f"x{i}", 0, 1, cat=cat) for i in range(len(problem.ids))]
    scores = np.zeros(len(xs)) if feasibility else problem.scores
    model.setObjective(pulp.LpAffineExpression(list(zip(xs, scores.tolist(), strict=True))))
    le, ge = pulp.LpConstraintLE, pulp.LpConstraintGE
    rows: dict[int, list[pulp.LpConstraint]] = {}
    for g_pos, group in enumerate(groups):
        for pos, value in group.fix.items():
            xs[pos].lowBound = xs[pos].upBound = value
        for idx, coef, sense, rhs in group.rows:
            expr = pulp.LpAffineExpression(
                [(xs[i], c) for i, c in zip(idx.tolist(), coef.tolist(), strict=True)]
            )
            con = pulp.LpConstraint(
                expr, le if sense == "<=" else ge, f"c{len(model._constraints)}", rhs
            )
            model.addConstraint(con)
            rows.setdefault(g_pos, []).append(con)
    return model, xs, rows


_CBC_BOUND = re.compile(r"^(?:Upper|Lower) bound:\s+(\S+)", re.M)


def _run(model: pulp.LpProblem, which: str, *, time_limit: float, gap: float, mip: bool):
    """Solve; return (status, solution found, bound) read from the solver itself."""
    if which == "highs":
        solver = pulp.HiGHS(mip=mip, msg=False, gapRel=gap, timeLimit=time_limit)
        model.solve(solver)
        highs = model.solverModel
        code = highs.getModelStatus()
        kinds = type(code)
        found = model.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        if code == kinds.kOptimal:
            status = "optimal"
        elif code in (kinds.kInfeasible, kinds.kUnboundedOrInfeasible):
            status = "infeasible"
        elif code == kinds.kTimeLimit:
            status = "time_limit"
        else:
            status = "feasible"
        bound = -highs.getInfo().mip_dual_bound if mip else math.nan
        return status, found, bound
    with tempfile.TemporaryDirectory(prefix="usc_cbc_") as tmp:
        log_path = Path(tmp) / "cbc.log"
        solver = pulp.COIN_CMD(
            path=_CBC_PATH,
            mip=mip,
            msg=False,
            gapRel=gap,
            timeLimit=time_limit,
            logPath=str(log_path),
        )
        model.solve(solver)
        log = log_path.read_text(errors="replace")
    result = re.search(r"^Result - (.*)$", log, re.M)
    result_text = result.group(1).lower() if result else ""
    found = model.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if model.status == pulp.LpStatusInfeasible or "infeasible" in result_text:
        status = "infeasible"
    elif model.sol_status == pulp.LpSolutionOptimal:
        status = "optimal"
    elif "time" in result_text:
        status = "time_limit"
    else:
        status = "feasible"
    bound_match = _CBC_BOUND.search(log)
    bound = float(bound_match.group(1)) if bound_match else math.nan
    return status, found, bound


def _solve(
    problem: BundleProblem,
    groups: Sequence[ConstraintGroup],
    which: str,
    *,
    time_limit: float,
    gap: float,
    relax: bool = False,
    feasibility: bool = False,
) -> _Solved:
    t0 = time.perf_counter()
    model, xs, rows = _build(problem, groups, relax=relax, feasibility=feasibility)
    t1 = time.perf_counter()
    status, found, bound = _run(model, which, time_limit=time_limit, gap=gap, mip=not relax)
    seconds = {"model": t1 - t0, "solve": time.perf_counter() - t1}
    if status == "infeasible" or not found:
        return _Solved(status, None, math.nan, bound, model, rows, seconds)
    x = np.array([v.varValue or 0.0 for v in xs])
    if not relax:
        x = np.round(x)
    objective = float(problem.scores @ x)
    if status == "optimal" and (math.isnan(bound) or bound < objective):
        bound = objective
    return _Solved(status, x, objective, bound, model, rows, seconds)


def _lp_advice(
    problem: BundleProblem, which: str, time_limit: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Per-unit shadow prices and +10 % gains of each limit, from the LP relaxation."""
    lp = _solve(problem, problem.groups, which, time_limit=time_limit, gap=0.0, relax=True)
    if lp.x is None:
        return {}, {}
    prices, gains = {}, {}
    for g_pos, group in enumerate(problem.groups):
        if group.kind != "limit":
            continue
        con = lp.rows[g_pos][0]
        # A <= limit in a maximisation has a nonnegative dual; solvers differ in sign.
        prices[group.name] = abs(con.pi or 0.0)
        gains[group.name] = 0.0
    for g_pos, group in enumerate(problem.groups):
        if group.kind != "limit" or prices[group.name] <= 1e-12:
            continue
        con = lp.rows[g_pos][0]
        con.constant -= 0.1 * group.rhs
        status, found, _ = _run(lp.model, which, time_limit=time_limit, gap=0.0, mip=False)
        con.constant += 0.1 * group.rhs
        if found and status != "infeasible":
            gains[group.name] = max(0.0, float(pulp.value(lp.model.objective)) - lp.objective)
    return prices, gains


def _feasibility(problem: BundleProblem, which: str, deadline: float):
    def feasible(groups: Sequence[ConstraintGroup]) -> bool:
        # Only a proven infeasibility drops a group, so the set kept stays infeasible
        # even when a check runs out of time.
        left = max(1.0, deadline - time.monotonic())
        solved = _solve(problem, groups, which, time_limit=left, gap=1.0, feasibility=True)
        return solved.status != "infeasible"

    return feasible


def solve_problem(
    problem: BundleProblem,
    *,
    time_limit: float = 60.0,
    gap: float = 1e-4,
    solver: str | None = None,
    explain: bool = True,
) -> BundleResult:
    """Solve a :class:`~appraisal.bundling.inputs.BundleProblem` (see :func:`optimise_bundle`).

    Examples
    --------
    >>> from appraisal.bundling.inputs import Candidate, build_problem
    >>> p = build_problem([Candidate("a", 2.0, {"capex": 5.0})], {"capex": 6.0})
    >>> solve_problem(p, explain=False).selected
    ['a']
    """
    if not (time_limit > 0 and math.isfinite(time_limit)):
        raise BundleInputError(f"time_limit is {time_limit!r}; give a positive number of seconds")
    if not (0 <= gap < 1):
        raise BundleInputError(f"gap is {gap!r}; give a relative gap in [0, 1)")
    which = _pick_solver(solver, len(problem.ids))
    label = "HiGHS" if which == "highs" else "CBC"
    started = time.monotonic()
    sol = _solve(problem, problem.groups, which, time_limit=time_limit, gap=gap)
    seconds = dict(sol.seconds)
    t_explain = time.perf_counter()

    def again(changed: BundleProblem) -> BundleResult:
        # The what-if re-solves share the explanation's time (as long as the main solve).
        left = max(0.5, min(time_limit, started + 2 * time_limit - time.monotonic()))
        return solve_problem(changed, time_limit=left, gap=gap, solver=which, explain=False)

    if sol.status == "infeasible":
        feasible = _feasibility(problem, which, started + 2 * time_limit)
        conflicts = all_conflicts(problem.groups, feasible) if explain else []
        words = conflicts_in_words(problem, conflicts) if explain else []
        repairs = find_repairs(problem, conflicts, again, feasible) if explain else []
        seconds["explain"] = time.perf_counter() - t_explain
        keys = [key_of(g) for g in conflicts[0]] if conflicts else []
        nan = math.nan
        return BundleResult([], nan, nan, nan, "infeasible", explanation=words, solver=label,
                            conflict=keys, seconds=seconds, repairs=repairs,
                            conflicts=[[key_of(g) for g in c] for c in conflicts])  # fmt: skip
    if sol.x is None:
        return BundleResult([], math.nan, sol.bound, math.nan, sol.status, solver=label,
                            seconds=seconds)  # fmt: skip
    selected = [cid for cid, on in zip(problem.ids, sol.x, strict=True) if on > 0.5]
    gap_now = max(0.0, (sol.bound - sol.objective) / max(abs(sol.objective), 1e-9))
    binding = binding_limits(problem, sol.x)
    prices: dict[str, float] = {}
    gains: dict[str, float] = {}
    words: list[str] = []
    raises = []
    if explain:
        lp_solver = "highs" if pulp.HiGHS().available() else "cbc"
        prices, gains = _lp_advice(problem, lp_solver, time_limit)
        plain = BundleResult(selected, sol.objective, sol.bound, gap_now, sol.status)
        raises = raise_gains(problem, plain, again, deadline=started + 2 * time_limit)
        words = describe_solution(problem, sol.x, sol.status, gap_now, binding, raises)
    seconds["explain"] = time.perf_counter() - t_explain
    return BundleResult(selected, sol.objective, sol.bound, gap_now, sol.status, binding, words,
                        prices, gains, label, seconds=seconds, raises=raises)  # fmt: skip
