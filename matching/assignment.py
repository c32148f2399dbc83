"""Optimal assignment of partners to projects under capacities and demands.

:func:`assign` maximises the total score of the chosen (project, partner) pairs while
each partner takes at most its capacity (and at least its minimum load) and each
project at most its demand; blocked pairs (conflicts of interest) are never chosen and
forced pairs always are. The solvers are exact (see :mod:`matching.bmatching`).

When the capacities cannot meet every demand, the answer is the best *partial*
assignment, not an error: a programme officer wants the partners that can be found
now and a list of what is still missing. Slots are filled as far as possible first,
then the total score is maximised; the result's ``unmet_demand`` says, per project,
how many partners are missing. Inputs that cannot be meant (NaN scores, unknown ids,
forced pairs beyond a capacity, negative loads) raise a :class:`MatchingError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.bmatching import Problem, solve_max_min, solve_one_to_one, solve_total
from matching.errors import (
    CapacityError,
    ConflictingPairsError,
    NoCandidatesError,
    UnknownIdError,
)
from matching.pairs import PairScores

__all__ = ["Assignment", "Assignments", "assign", "resolve_loads"]

#: Above this many cells the dense Hungarian matrix is not worth building.
_DENSE_CELLS = 4_000_000


@dataclass(frozen=True)
class Assignment:
    """One chosen pair and its score."""

    project: str
    partner: str
    score: float


class Assignments(list):
    """The chosen pairs (a list of :class:`Assignment`) and what could not be met.

    Attributes
    ----------
    unmet_demand : dict of str to int
        Per project, the partners it still lacks (projects fully served are absent).
    total_score : float
        Sum of the chosen scores.
    method : str
        The exact solver used: "linear_sum_assignment", "lp" or "milp".
    """

    def __init__(
        self,
        items: Iterable[Assignment] = (),
        *,
        unmet_demand: Mapping[str, int] | None = None,
        method: str = "",
    ) -> None:
        super().__init__(items)
        self.unmet_demand = dict(unmet_demand or {})
        self.total_score = float(sum(a.score for a in self))
        self.method = method


def resolve_loads(
    value: int | Mapping[str, int],
    ids: Sequence[str],
    name: str,
    *,
    default: int | None = None,
) -> np.ndarray:
    """One whole number >= 0 per id, from one int for all or a mapping per id.

    Raises :class:`CapacityError` for a negative or fractional value, or for an id the
    mapping lacks when there is no ``default``.

    Examples
    --------
    >>> resolve_loads({"a": 2}, ["a", "b"], "capacity", default=1).tolist()
    [2, 1]
    """
    if isinstance(value, Mapping):
        missing = [i for i in ids if i not in value]
        if missing and default is None:
            raise CapacityError(
                f"no {name} given for {missing[0]!r}; give one for every id or one int for all"
            )
        values = [value.get(i, default) for i in ids]
    else:
        values = [value] * len(ids)
    out = np.empty(len(ids), dtype=np.int64)
    for k, v in enumerate(values):
        if isinstance(v, bool) or not float(v).is_integer() or v < 0:
            raise CapacityError(f"{name} of {ids[k]!r} is {v!r}; give a whole number >= 0")
        out[k] = int(v)
    return out


def _edge_mask(
    pairs: Iterable[tuple[str, str]],
    ps: PairScores,
    keys: np.ndarray,
    what: str,
    *,
    must_exist: bool,
) -> np.ndarray:
    """Boolean mask over the edges named in ``pairs``, checking every id is known."""
    project_pos = {p: i for i, p in enumerate(ps.project_ids)}
    partner_pos = {q: i for i, q in enumerate(ps.partner_ids)}
    mask = np.zeros(len(keys), dtype=bool)
    for project, partner in pairs:
        if project not in project_pos:
            raise UnknownIdError(f"{what} pair names unknown project {project!r}; check the id")
        if partner not in partner_pos:
            raise UnknownIdError(f"{what} pair names unknown partner {partner!r}; check the id")
        key = project_pos[project] * len(ps.partner_ids) + partner_pos[partner]
        at = int(np.searchsorted(keys, key))
        if at < len(keys) and keys[at] == key:
            mask[at] = True
        elif must_exist:
            raise UnknownIdError(
                f"{what} pair ({project!r}, {partner!r}) has no score; score it or drop it"
            )
    return mask


def _check_forced(problem: Problem, project_ids: Sequence[str], partner_ids: Sequence[str]) -> None:
    for loads, limit, ids, role, limit_name in (
        (problem.project, problem.demand, project_ids, "project", "demand"),
        (problem.partner, problem.capacity, partner_ids, "partner", "capacity"),
    ):
        count = np.bincount(loads[problem.forced], minlength=len(limit))
        over = np.flatnonzero(count > limit)
        if len(over):
            k = int(over[0])
            raise CapacityError(
                f"{count[k]} forced pairs for {role} {ids[k]!r} exceed its {limit_name} "
                f"{limit[k]}; raise the {limit_name} or force fewer pairs"
            )
    too_low = problem.min_load > problem.capacity
    if too_low.any():
        k = int(np.flatnonzero(too_low)[0])
        raise CapacityError(
            f"minimum load {problem.min_load[k]} of partner {partner_ids[k]!r} exceeds its "
            f"capacity {problem.capacity[k]}; lower one or raise the other"
        )
    degree = np.bincount(problem.partner, minlength=len(partner_ids))
    short = problem.min_load > degree
    if short.any():
        k = int(np.flatnonzero(short)[0])
        raise CapacityError(
            f"partner {partner_ids[k]!r} needs at least {problem.min_load[k]} projects but "
            f"has {degree[k]} candidate pairs; lower its minimum load or score more pairs"
        )


def assign(
    scores: Mapping[tuple[str, str], float] | PairScores,
    *,
    capacity: int | Mapping[str, int] = 1,
    demand: int | Mapping[str, int] = 1,
    min_load: int | Mapping[str, int] = 0,
    blocked: Iterable[tuple[str, str]] = (),
    forced: Iterable[tuple[str, str]] = (),
    max_min_first: bool = False,
    time_limit: float | None = None,
) -> Assignments:
    """Choose (project, partner) pairs that maximise the total score under loads.

    Parameters
    ----------
    scores : mapping of (project_id, partner_id) to float, or PairScores
        The candidate pairs and their scores (finite; any sign). Pairs not given are
        not candidates.
    capacity : int or mapping, default 1
        Most projects per partner (a mapping needs every partner that has a score).
    demand : int or mapping, default 1
        Partners each project needs (a mapping needs every scored project; ids with
        no scored pair are reported unmet).
    min_load : int or mapping, default 0
        Fewest projects per partner (a mapping may leave partners out: 0).
    blocked, forced : iterable of (project_id, partner_id)
        Pairs never / always chosen.
    max_min_first : bool, default False
        First raise the worst-served project (its chosen scores over its demand), then
        the total. Solved as a MILP: exact, for small and medium problems.
    time_limit : float, optional
        Seconds allowed to the MILP of ``max_min_first``.

    Returns
    -------
    Assignments
        A list of :class:`Assignment` (by project, best first) with ``unmet_demand``
        and ``total_score``. Demand is filled as far as capacity allows before the
        total is maximised.

    Raises
    ------
    NoCandidatesError, UnknownIdError, CapacityError, ConflictingPairsError,
    InvalidScoreError, SolverError
        Each names the pair, id or limit at fault.

    Examples
    --------
    >>> s = {("p1", "a"): 0.9, ("p1", "b"): 0.8, ("p2", "a"): 0.7, ("p2", "b"): 0.1}
    >>> [(m.project, m.partner) for m in assign(s)]
    [('p1', 'b'), ('p2', 'a')]
    >>> result = assign(s, capacity={"a": 2, "b": 0}, demand={"p1": 1, "p2": 1, "p3": 1})
    >>> [(m.project, m.partner) for m in result], result.unmet_demand
    ([('p1', 'a'), ('p2', 'a')], {'p3': 1})
    """
    ps = scores if isinstance(scores, PairScores) else PairScores.from_mapping(scores)
    if len(ps) == 0:
        raise NoCandidatesError("no scored pairs; score at least one (project, partner)")
    order = np.argsort(ps.project_index * len(ps.partner_ids) + ps.partner_index)
    keys = (ps.project_index * len(ps.partner_ids) + ps.partner_index)[order]
    blocked_mask = _edge_mask(blocked, ps, keys, "blocked", must_exist=False)
    forced_mask = _edge_mask(forced, ps, keys, "forced", must_exist=True)
    if (blocked_mask & forced_mask).any():
        at = int(np.flatnonzero(blocked_mask & forced_mask)[0])
        p, q = divmod(int(keys[at]), len(ps.partner_ids))
        raise ConflictingPairsError(
            f"pair ({ps.project_ids[p]!r}, {ps.partner_ids[q]!r}) is both forced and "
            "blocked; drop it from one of them"
        )
    keep = order[~blocked_mask]
    if len(keep) == 0:
        raise NoCandidatesError("every scored pair is blocked; unblock or score more pairs")
    problem = Problem(
        score=ps.score[keep],
        project=ps.project_index[keep],
        partner=ps.partner_index[keep],
        demand=resolve_loads(demand, ps.project_ids, "demand"),
        capacity=resolve_loads(capacity, ps.partner_ids, "capacity"),
        min_load=resolve_loads(min_load, ps.partner_ids, "min_load", default=0),
        forced=forced_mask[~blocked_mask],
    )
    _check_forced(problem, ps.project_ids, ps.partner_ids)
    if isinstance(min_load, Mapping):
        stray = set(min_load) - set(ps.partner_ids)
        if any(min_load[k] > 0 for k in stray):
            raise CapacityError(
                f"minimum load given for partners with no scored pair: {sorted(stray)}; "
                "score pairs for them or drop their minimum"
            )

    one_to_one = (
        problem.demand.max() <= 1 and problem.capacity.max() <= 1 and not problem.min_load.any()
    )
    cells = len(ps.project_ids) * len(ps.partner_ids)
    if max_min_first:
        x, method = solve_max_min(problem, time_limit=time_limit), "milp"
    elif one_to_one and cells <= _DENSE_CELLS and len(keep) * 4 >= cells:
        x, method = solve_one_to_one(problem), "linear_sum_assignment"
    else:
        x, method = solve_total(problem), "lp"

    chosen = np.flatnonzero(x)
    chosen = chosen[np.lexsort((-problem.score[chosen], problem.project[chosen]))]
    result = [
        Assignment(ps.project_ids[p], ps.partner_ids[q], float(s))
        for p, q, s in zip(
            problem.project[chosen].tolist(),
            problem.partner[chosen].tolist(),
            problem.score[chosen].tolist(),
            strict=True,
        )
    ]
    got = np.bincount(problem.project[chosen], minlength=len(ps.project_ids))
    unmet = {
        ps.project_ids[k]: int(problem.demand[k] - got[k])
        for k in np.flatnonzero(problem.demand > got)
    }
    if isinstance(demand, Mapping):
        known = set(ps.project_ids)
        unmet.update({p: int(d) for p, d in demand.items() if p not in known and d > 0})
    return Assignments(result, unmet_demand=unmet, method=method)
