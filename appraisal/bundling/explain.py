"""A bundle's result and its explanation: binding limits, what raising a limit buys,
conflicts.

Pure functions over a :class:`~appraisal.bundling.inputs.BundleProblem` and a 0-1
selection; the solving stays in :mod:`appraisal.bundling.optimiser`, which re-exports
:class:`BundleResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from appraisal.bundling.inputs import BundleProblem, ConstraintGroup
from appraisal.errors import InfeasibleBundleError

__all__ = [
    "BundleResult",
    "binding_limits",
    "deletion_filter",
    "describe_conflict",
    "describe_solution",
]

T = TypeVar("T", bound=ConstraintGroup)


@dataclass(frozen=True)
class BundleResult:
    """The chosen bundle and why.

    Attributes
    ----------
    selected : list[str]
        Ids of the chosen candidates, in input order.
    objective : float
        Total score of the selection (NaN when nothing was found).
    bound : float
        Best proven upper bound on the score (equal to ``objective`` when exact).
    gap : float
        ``(bound - objective) / max(|objective|, 1e-9)``.
    status : str
        ``"optimal"`` (proven within the requested gap), ``"feasible"``,
        ``"infeasible"`` or ``"time_limit"``.
    binding : list[str]
        Limits that stopped more candidates being added: no left-out candidate that
        uses the resource fits in what is left of it.
    explanation : list[str]
        Plain words: for an infeasible problem the smallest set of conflicting limits
        and forced choices; otherwise binding limits and which limit, if raised, adds
        most value.
    shadow_prices : dict[str, float]
        Value added per extra unit of each limit (LP relaxation dual): an estimate
        that lets projects in by fractions, so no bundle may reach it.
    gain_10pct : dict[str, float]
        Value the LP relaxation gains when that limit alone is raised by 10 % (the
        same kind of estimate; ``raises`` holds what the 0-1 problem confirms).
    solver : str
        ``"HiGHS"`` or ``"CBC"``.
    conflict : list[str]
        For an infeasible problem, the conflicting groups as ``kind:name`` keys.
    seconds : dict[str, float]
        Wall time of the main solve: ``model`` (building the PuLP model), ``solve``
        (the solver, with PuLP's hand-over) and ``explain``.
    conflicts : list[list[str]]
        For an infeasible problem, every separate conflict found (``conflict`` is the
        first), so that resolving them all makes the problem feasible.
    repairs : list[Repair]
        For an infeasible problem, changes each confirmed by a re-solve to make it
        feasible (:class:`appraisal.bundling.whatif.Repair`).
    raises : list[RaiseGain]
        For a solved problem, what raising each limit adds, proven by re-solving the
        0-1 problem (:class:`appraisal.bundling.whatif.RaiseGain`).
    """

    selected: list[str]
    objective: float
    bound: float
    gap: float
    status: str
    binding: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    shadow_prices: dict[str, float] = field(default_factory=dict)
    gain_10pct: dict[str, float] = field(default_factory=dict)
    solver: str = ""
    conflict: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    raises: list = field(default_factory=list)

    def require_feasible(self) -> BundleResult:
        """Return self, or raise :class:`InfeasibleBundleError` with the explanation."""
        if self.status == "infeasible":
            raise InfeasibleBundleError(
                "no bundle satisfies the limits and forced choices: "
                + "; ".join(self.explanation[1:])
                + ". Relax or drop one of these.",
                self.explanation[1:],
            )
        return self


# Tried first, so dropped first when they are not needed: an explanation in terms of
# limits and forced choices is the one staff can act on.
_DROP_ORDER = (
    "score_min",
    "group",
    "excludes",
    "requires",
    "sector_max",
    "sector_min",
    "must_exclude",
    "limit",
    "must_include",
)


def binding_limits(problem: BundleProblem, x: np.ndarray) -> list[str]:
    """Limits that stop more candidates being added.

    A limit binds when no left-out candidate that uses its resource fits in what is
    left of it (so it is also binding when exactly used up).

    Examples
    --------
    >>> from appraisal.bundling.inputs import Candidate, build_problem
    >>> p = build_problem([Candidate("a", 1, {"k": 6}), Candidate("b", 1, {"k": 5})], {"k": 10})
    >>> binding_limits(p, np.array([1.0, 0.0]))
    ['k']
    """
    chosen = np.asarray(x) > 0.5
    out = []
    for group in problem.groups:
        if group.kind != "limit":
            continue
        use = problem.costs[group.resource]
        left = group.rhs - float(use @ chosen)
        waiting = use[~chosen & (use > 0)]
        if waiting.size and waiting.min() > left + 1e-9 * max(1.0, abs(group.rhs)):
            out.append(group.name)
    return out


def deletion_filter(groups: Sequence[T], feasible: Callable[[Sequence[T]], bool]) -> list[T]:
    """An irreducible infeasible subset of ``groups`` (IIS deletion filter).

    ``feasible(subset)`` must be False for the whole of ``groups``. Each kind of group
    is first dropped as a block (one solve when none of that kind matters), then one
    group at a time; a group stays only if dropping it makes the rest feasible. So
    the result is infeasible and removing any one member makes it feasible.

    Examples
    --------
    >>> gs = [ConstraintGroup("limit", n, n) for n in "abc"]
    >>> conflict = lambda s: {"a", "c"} <= {g.name for g in s}  # a and c clash
    >>> [g.name for g in deletion_filter(gs, lambda s: not conflict(s))]
    ['a', 'c']
    """
    keep = list(groups)
    kinds = sorted({g.kind for g in keep}, key=lambda k: (_DROP_ORDER + (k,)).index(k))
    for kind in kinds:
        block = [g for g in keep if g.kind == kind]
        rest = [g for g in keep if g.kind != kind]
        if not feasible(rest):
            keep = rest
            continue
        for g in block:
            trial = [h for h in keep if h is not g]
            if not feasible(trial):
                keep = trial
    return keep


def _names(ids: Sequence[str]) -> str:
    ids = list(ids)
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def describe_conflict(problem: BundleProblem, conflict: Sequence[ConstraintGroup]) -> list[str]:
    """Plain words for a conflicting set: a headline, then one line per condition.

    A limit is stated with what the forced candidates (must-include, and what they
    require within the conflict) need of it.

    Examples
    --------
    >>> from appraisal.bundling.inputs import Candidate, build_problem
    >>> cands = [Candidate(f"p{i}", 1.0, {"capex_2027": 60.0}) for i in (3, 7)]
    >>> p = build_problem(cands, {"capex_2027": 100}, must_include=["p3", "p7"])
    >>> describe_conflict(p, p.groups)[1]
    'must-include p3 and p7 need 120 of capex_2027, the limit is 100'
    """
    if not conflict:
        return ["No bundle fits, and no smaller conflicting set was found in the time allowed."]
    index = problem.index()
    forced = [g.members[0] for g in conflict if g.kind == "must_include"]
    pulled = list(forced)
    needs = {g.members[0]: g.members[1] for g in conflict if g.kind == "requires"}
    for cid in pulled:  # grows while walking: requirements of requirements
        if cid in needs and needs[cid] not in pulled:
            pulled.append(needs[cid])
    lines = [f"No bundle fits: these {len(conflict)} conditions conflict; relax or drop any one:"]
    told: set[str] = set()
    for g in conflict:
        if g.kind == "limit" and forced:
            used = [c for c in pulled if problem.costs[g.resource][index[c]] != 0]
            if used:
                need = sum(problem.costs[g.resource][index[c]] for c in used)
                heads = [c for c in forced if c in used] or forced
                extra = [c for c in used if c not in heads]
                also = f" (with {_names(extra)}, which they require)" if extra else ""
                lines.append(
                    f"must-include {_names(heads)}{also} need {need:g} of {g.resource}, "
                    f"the limit is {g.rhs:g}"
                )
                told.update(heads)
                continue
        lines.append(g.text)
    return [lines[0]] + [
        line
        for line, g in zip(lines[1:], conflict, strict=True)
        if not (g.kind == "must_include" and g.members[0] in told)
    ]


def describe_solution(
    problem: BundleProblem,
    x: np.ndarray,
    status: str,
    gap: float,
    binding: Sequence[str],
    raises: Sequence = (),
) -> list[str]:
    """Plain words for a solution: what was chosen, binding limits, what raising a limit
    adds (``raises``: :class:`~appraisal.bundling.whatif.RaiseGain` proven by re-solving).

    Examples
    --------
    >>> from appraisal.bundling.inputs import Candidate, build_problem
    >>> p = build_problem([Candidate("a", 3.0, {"k": 6})], {"k": 10})
    >>> describe_solution(p, np.array([1.0]), "optimal", 0.0, [])[0]
    'Chose 1 of 1 candidates, total score 3 (optimal, gap 0.00%).'
    """
    chosen = np.asarray(x) > 0.5
    total = float(problem.scores @ chosen)
    lines = [
        f"Chose {int(chosen.sum())} of {len(chosen)} candidates, total score {total:,.6g} "
        f"({status}, gap {gap:.2%})."
    ]
    limits = {g.name: g for g in problem.groups if g.kind == "limit"}
    for name in binding:
        g = limits[name]
        used = float(problem.costs[g.resource] @ chosen)
        lines.append(
            f"{name} is binding: {used:,.6g} of {g.rhs:,.6g} used; no left-out candidate "
            f"fits in the {g.rhs - used:,.6g} left."
        )
    for r in raises:
        adds = f"adds {r.gain:,.6g}" if r.gain > 0 else "adds nothing"
        lines.append(
            f"Raising {r.limit} by {r.step:,.6g} (to {r.new_limit:,.6g}) {adds} "
            "(re-solved with the raised limit)."
        )
    return lines
