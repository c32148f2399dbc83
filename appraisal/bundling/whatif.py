"""What-ifs checked by re-solving the integer problem: every conflict of an infeasible
bundle, the changes that make it feasible, and what raising a limit really adds.

Everything reported here comes from a solve of the 0-1 problem itself, never from
the LP relaxation: a suggested change is shown only when the re-solve with that change
finds a bundle, and a gain only when the re-solve with the raised limit proves it.
The solver is passed in (``solve(problem) -> BundleResult``), so this module imports
none; :mod:`appraisal.bundling.solver` calls it.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from appraisal.bundling.explain import BundleResult, deletion_filter, describe_conflict
from appraisal.bundling.inputs import BundleProblem, ConstraintGroup

__all__ = [
    "Repair",
    "RaiseGain",
    "all_conflicts",
    "conflicts_in_words",
    "find_repairs",
    "raise_gains",
    "key_of",
    "with_limits",
]

Solve = Callable[[BundleProblem], BundleResult]
Feasible = Callable[[Sequence[ConstraintGroup]], bool]

#: At most this many separate conflicts are searched for (each costs a deletion filter).
MAX_CONFLICTS = 8


def key_of(group: ConstraintGroup) -> str:
    return f"{group.kind}:{group.name}"


@dataclass(frozen=True)
class Repair:
    """A change that makes an infeasible bundle feasible, confirmed by a re-solve.

    ``drop`` names the conditions to remove (``kind:name`` keys), ``raise_to`` the
    limits to raise and their new amounts; ``objective`` and ``selected`` are the best
    bundle the re-solve found with the change.
    """

    drop: tuple[str, ...] = ()
    raise_to: dict[str, float] = field(default_factory=dict)
    objective: float = math.nan
    selected: tuple[str, ...] = ()


@dataclass(frozen=True)
class RaiseGain:
    """The proven gain of raising one limit by ``step`` (to ``new_limit``).

    ``added`` and ``dropped`` are the candidates the re-solved bundle gains and loses.
    """

    limit: str
    step: float
    new_limit: float
    gain: float
    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def with_limits(problem: BundleProblem, amounts: dict[str, float]) -> BundleProblem:
    """The problem with the named limits set to new amounts (their rows and words)."""
    groups = []
    for g in problem.groups:
        if g.kind == "limit" and g.name in amounts:
            rhs = float(amounts[g.name])
            rows = tuple((idx, coef, sense, rhs) for idx, coef, sense, _ in g.rows)
            g = dataclasses.replace(g, rows=rows, rhs=rhs, text=f"the limit on {g.name} is {rhs:g}")
        groups.append(g)
    return dataclasses.replace(problem, groups=tuple(groups))


def _without(problem: BundleProblem, keys: set[str]) -> BundleProblem:
    return dataclasses.replace(
        problem, groups=tuple(g for g in problem.groups if key_of(g) not in keys)
    )


def _found(result: BundleResult) -> bool:
    return result.status != "infeasible" and not math.isnan(result.objective)


def all_conflicts(
    groups: Sequence[ConstraintGroup],
    feasible: Callable[[Sequence[ConstraintGroup]], bool],
    *,
    limit: int = MAX_CONFLICTS,
) -> list[list[ConstraintGroup]]:
    """Every separate conflict, not only the first: conflicts in several budget years
    are all found at once.

    After each conflict (an irreducible infeasible set, :func:`deletion_filter`), its
    limits are set aside (or, without a limit, all its members) and the rest is
    searched again, until what is left is feasible. So following one conflict's advice
    cannot run into a conflict that was not shown.

    Examples
    --------
    >>> gs = [ConstraintGroup("limit", n, n) for n in ("y26", "y27")]
    >>> gs += [ConstraintGroup("must_include", "p", "p")]
    >>> clash = lambda s: "p" in {g.name for g in s} and ({"y26", "y27"} & {g.name for g in s})
    >>> [[g.name for g in c] for c in all_conflicts(gs, lambda s: not clash(s))]
    [['y26', 'p'], ['y27', 'p']]
    """
    left = list(groups)
    found: list[list[ConstraintGroup]] = []
    while len(found) < limit and not feasible(left):
        conflict = deletion_filter(left, feasible)
        if not conflict:
            break
        found.append(conflict)
        limits = [g for g in conflict if g.kind == "limit"]
        gone = {id(g) for g in (limits or conflict)}
        left = [g for g in left if id(g) not in gone]
    place = {id(g): i for i, g in enumerate(groups)}
    return sorted(found, key=lambda c: sorted(place[id(g)] for g in c))


def conflicts_in_words(
    problem: BundleProblem, conflicts: Sequence[Sequence[ConstraintGroup]]
) -> list[str]:
    """A headline, then each conflict's lines (one conflict: as :func:`describe_conflict`)."""
    if len(conflicts) <= 1:
        return describe_conflict(problem, conflicts[0] if conflicts else [])
    names = sorted({g.resource or g.name for c in conflicts for g in c if g.kind == "limit"})
    where = f", in {', '.join(names)}" if names else ""
    lines = [
        f"No bundle fits: {len(conflicts)} separate conflicts{where}; each needs a change "
        "(the changes below resolve all of them at once):"
    ]
    for number, conflict in enumerate(conflicts, 1):
        words = describe_conflict(problem, conflict)[1:]
        lines.append(f"conflict {number}: " + "; ".join(words))
    return lines


def _least_raise(problem: BundleProblem, names: set[str], solve: Solve):
    """New amounts of the ``names`` limits that let a bundle fit: what the bundle that
    needs the least of them needs, when they are lifted (every other condition kept)."""
    lifted = [g for g in problem.groups if g.kind == "limit" and g.name in names]
    use = sum((problem.costs[g.resource] for g in lifted), np.zeros(len(problem.ids)))
    free = _without(problem, {key_of(g) for g in lifted})
    res = solve(dataclasses.replace(free, scores=-use))
    if not _found(res):
        return None
    on = np.isin(np.array(problem.ids), res.selected).astype(float)
    amounts = {}
    for g in lifted:
        need = float(problem.costs[g.resource] @ on)
        if need > g.rhs:
            amounts[g.name] = need + 1e-9 * max(1.0, abs(need))
    return amounts


# When a conflict has nothing of the kind a change is about, this kind goes first.
_FALLBACK = ("must_include", "limit", "sector_min", "sector_max", "requires", "excludes",
             "group", "must_exclude", "score_min")  # fmt: skip


def _repair_by(
    problem: BundleProblem, kind: str, solve: Solve, feasible: Feasible, tries: int
) -> Repair | None:
    """Lift conditions, ``kind`` first, until a bundle fits; put back what it can keep;
    lifted limits become the least raise. None when the re-solve does not confirm it."""
    rank = {k: i for i, k in enumerate(dict.fromkeys((kind, *_FALLBACK)))}
    lifted: list[str] = []
    for _ in range(tries):
        left = _without(problem, set(lifted))
        if _found(solve(left)):
            break
        conflict = deletion_filter(left.groups, feasible)
        if not conflict:
            return None
        lifted.append(key_of(min(conflict, key=lambda g: rank.get(g.kind, len(rank)))))
    else:
        return None
    for key in list(lifted):
        trial = [k for k in lifted if k != key]
        if _found(solve(_without(problem, set(trial)))):
            lifted = trial
    limits = {k.partition(":")[2] for k in lifted if k.startswith("limit:")}
    drop = tuple(k for k in lifted if not k.startswith("limit:"))
    changed = _without(problem, set(drop))
    amounts: dict[str, float] = {}
    if limits:
        found = _least_raise(changed, limits, solve)
        if found is None:
            return None
        amounts = found
        changed = with_limits(changed, amounts)
    res = solve(changed)
    if not _found(res):
        return None
    return Repair(drop, amounts, res.objective, tuple(res.selected))


def find_repairs(
    problem: BundleProblem,
    conflicts: Sequence[Sequence[ConstraintGroup]],
    solve: Solve,
    feasible: Feasible,
    *,
    tries: int = MAX_CONFLICTS,
) -> list[Repair]:
    """Changes that each make the whole problem feasible, every one confirmed by a re-solve.

    One per kind of condition in the conflicts, that kind changed first: raise the
    limits (to what the least demanding bundle needs of each), or lift the fewest
    forced choices, sector rules, pairs or variant groups; a conflict with nothing of
    that kind adds a change of another kind, so each repair resolves every conflict.
    A change the re-solve does not confirm is left out.
    """
    kinds = dict.fromkeys(g.kind for c in conflicts for g in c)
    out: list[Repair] = []
    for kind in sorted(kinds, key=lambda k: k != "limit"):
        repair = _repair_by(problem, kind, solve, feasible, tries)
        if repair is not None and all(
            (repair.drop, sorted(repair.raise_to)) != (r.drop, sorted(r.raise_to)) for r in out
        ):
            out.append(repair)
    return out


def _steps(problem: BundleProblem, g: ConstraintGroup, on: np.ndarray, count: int) -> list[float]:
    """Raises worth trying: +10 %, and what lets each of the cheapest left-out ones in."""
    use = problem.costs[g.resource]
    left = g.rhs - float(use @ on)
    needs = sorted({float(c) - left for c in use[(on < 0.5) & (use > 0)] if c > left})
    steps = {round(0.1 * g.rhs, 12)} | set(needs[:count])
    return sorted(s for s in steps if s > 0)


def raise_gains(
    problem: BundleProblem,
    result: BundleResult,
    solve: Solve,
    *,
    deadline: float = math.inf,
    tries: int = 3,
) -> list[RaiseGain]:
    """For each limit, what raising it alone adds, proven by re-solving the 0-1 problem.

    Tries +10 % of the limit and the raises that let each of the ``tries`` cheapest
    left-out candidates fit beside the current bundle; keeps, per limit, the +10 % result
    and the smallest raise that adds value. Only re-solves proven optimal count; the
    search stops at ``deadline`` (``time.monotonic()``), reporting what it proved.

    Examples
    --------
    >>> from appraisal.bundling.inputs import Candidate, build_problem
    >>> from appraisal.bundling.solver import solve_problem
    >>> p = build_problem([Candidate("a", 3.0, {"k": 6}), Candidate("b", 2.0, {"k": 9})], {"k": 10})
    >>> r = solve_problem(p, explain=False)
    >>> [(g.step, g.gain, g.added) for g in raise_gains(p, r, solve_problem) if g.gain]
    [(5.0, 2.0, ('b',))]
    """
    if not _found(result):
        return []
    on = np.isin(np.array(problem.ids), result.selected).astype(float)
    base = result.objective
    tol = 1e-6 * max(1.0, abs(base)) + max(result.gap, 0.0) * abs(base)
    out: list[RaiseGain] = []
    for g in problem.groups:
        if g.kind != "limit" or not math.isfinite(g.rhs):
            continue
        kept: list[RaiseGain] = []
        for step in _steps(problem, g, on, tries):
            if time.monotonic() > deadline:
                return out
            res = solve(with_limits(problem, {g.name: g.rhs + step}))
            if res.status != "optimal":
                continue
            gain = res.objective - base
            gain = gain if gain > tol else 0.0
            now = set(res.selected)
            before = set(result.selected)
            point = RaiseGain(
                g.name,
                step,
                g.rhs + step,
                gain,
                tuple(c for c in res.selected if c not in before),
                tuple(c for c in result.selected if c not in now),
            )
            ten = math.isclose(step, 0.1 * g.rhs, rel_tol=1e-9)
            if ten or (gain > 0 and not any(k.gain > 0 and k.step < step for k in kept)):
                kept.append(point)
        out.extend(sorted(kept, key=lambda k: k.step))
    return out
