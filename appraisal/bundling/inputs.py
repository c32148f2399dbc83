"""Inputs of the bundle optimiser: candidates, sector rules, validation, the model rows.

The optimiser (:mod:`appraisal.bundling.optimiser`) sees a bundle problem as a 0-1 programme
``max sum(score_i * x_i)`` over rows of the form ``sum(a_ij * x_j) <= rhs`` (or ``>=``)
plus candidates fixed in or out. Rows come in *constraint groups*: one group per limit,
per sector rule, per requirement, per exclusion, per variant group and per forced
choice. Groups are what an infeasibility explanation names, so each carries its own
plain-words description.

This module checks the input and builds those groups; it imports no solver.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from appraisal.errors import BundleInputError, CyclicRequirementError

__all__ = ["Candidate", "SectorRule", "ConstraintGroup", "BundleProblem", "build_problem"]


@dataclass(frozen=True)
class Candidate:
    """A project (or a variant of one) that may enter the bundle.

    Parameters
    ----------
    id : str
        Unique identifier.
    value : float
        What the candidate is worth (ENPV by default, in the bundle's currency).
    costs : Mapping[str, float]
        Amount of each named resource it consumes (``{"capex_2027": 4.2e6, ...}``).
    sector : str, optional
        Programme sector, for sector minimums and maximums.
    requires : Sequence[str]
        Ids it cannot go without (B requires A: B only if A).
    excludes : Sequence[str]
        Ids it cannot be chosen together with.
    group : str, optional
        Variants of the same project share a group; at most one per group is chosen.

    Examples
    --------
    >>> Candidate("p1", 3.0, {"capex_2027": 10.0}, sector="Energy").costs["capex_2027"]
    10.0
    """

    id: str
    value: float
    costs: Mapping[str, float]
    sector: str | None = None
    requires: Sequence[str] = ()
    excludes: Sequence[str] = ()
    group: str | None = None


@dataclass(frozen=True)
class SectorRule:
    """A sector minimum or maximum, in money (a resource) or in number of projects.

    Parameters
    ----------
    amount : float
        The bound. With ``resource=None`` it counts chosen projects and must be a
        whole number.
    resource : str, optional
        The resource summed over the sector's chosen candidates (e.g. ``"capex_2027"``);
        ``None`` counts projects.

    Examples
    --------
    >>> SectorRule(2)  # two projects
    SectorRule(amount=2, resource=None)
    >>> SectorRule(5e6, "capex_2027").resource
    'capex_2027'
    """

    amount: float
    resource: str | None = None


@dataclass(frozen=True)
class ConstraintGroup:
    """Rows that stand or fall together, with the words that describe them.

    ``kind`` is one of ``limit``, ``sector_min``, ``sector_max``, ``requires``,
    ``excludes``, ``group``, ``must_include``, ``must_exclude`` (or ``score_min`` for
    the frontier's epsilon constraint). ``rows`` holds ``(indices, coefficients, sense,
    rhs)`` with sense ``"<="`` or ``">="``; ``fix`` maps candidate positions to 0 or 1.
    """

    kind: str
    name: str
    text: str
    rows: tuple[tuple[np.ndarray, np.ndarray, str, float], ...] = ()
    fix: Mapping[int, int] = field(default_factory=dict)
    resource: str | None = None
    rhs: float = math.nan
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class BundleProblem:
    """A validated bundle problem: candidate ids, scores and constraint groups."""

    ids: tuple[str, ...]
    scores: np.ndarray
    costs: Mapping[str, np.ndarray]
    groups: tuple[ConstraintGroup, ...]

    def index(self) -> dict[str, int]:
        """Position of each candidate id."""
        return {cid: i for i, cid in enumerate(self.ids)}


RuleArg = Mapping[str, "SectorRule | int | Iterable[SectorRule]"] | None
ScoreArg = Mapping[str, float] | Callable[[Candidate], float] | None


def _number(x: object, what: str) -> float:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BundleInputError(f"{what} is {x!r}, not a number; give a finite number") from None
    if not math.isfinite(v):
        raise BundleInputError(f"{what} is {v}; give a finite number")
    return v


def _check_candidates(candidates: Sequence[Candidate]) -> dict[str, int]:
    if not candidates:
        raise BundleInputError("no candidates were given; pass at least one Candidate")
    index: dict[str, int] = {}
    for i, c in enumerate(candidates):
        if not isinstance(c, Candidate):
            raise BundleInputError(f"item {i} is a {type(c).__name__}, not a Candidate")
        if c.id in index:
            raise BundleInputError(f"candidate id {c.id!r} appears twice; ids must be unique")
        index[c.id] = i
        _number(c.value, f"value of candidate {c.id!r}")
        for res, amount in c.costs.items():
            _number(amount, f"cost {res!r} of candidate {c.id!r}")
    for c in candidates:
        for kind, refs in (("requires", c.requires), ("excludes", c.excludes)):
            if isinstance(refs, str):
                raise BundleInputError(
                    f"{kind} of candidate {c.id!r} is a string; give a list of ids"
                )
            for ref in refs:
                if ref not in index:
                    raise BundleInputError(
                        f"candidate {c.id!r} {kind} unknown id {ref!r}; fix the id or add "
                        "that candidate"
                    )
                if ref == c.id:
                    raise BundleInputError(f"candidate {c.id!r} {kind} itself; remove it")
    return index


def _find_cycle(candidates: Sequence[Candidate]) -> list[str] | None:
    """A cycle of ``requires`` as a list of ids (each requires the next), or None."""
    graph = nx.DiGraph((c.id, needed) for c in candidates for needed in c.requires)
    try:
        return [needs for needs, _ in nx.find_cycle(graph)]
    except nx.NetworkXNoCycle:
        return None


def _check_limits(limits: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(limits, Mapping):
        raise BundleInputError("limits must be a mapping of resource name to amount")
    out = {}
    for res, amount in limits.items():
        if amount is None:
            raise BundleInputError(f"limit {res!r} is missing (None); give an amount")
        try:
            v = float(amount)
        except (TypeError, ValueError):
            raise BundleInputError(f"limit {res!r} is {amount!r}, not a number") from None
        if math.isnan(v):
            raise BundleInputError(f"limit {res!r} is NaN; give an amount (inf for none)")
        if v < 0:
            raise BundleInputError(f"limit {res!r} is negative ({v:g}); give 0 or more")
        out[res] = v
    return out


def _rules(arg: RuleArg, which: str) -> list[tuple[str, SectorRule]]:
    out = []
    for sector, spec in (arg or {}).items():
        specs = [spec] if isinstance(spec, (SectorRule, int, float)) else list(spec)
        for rule in specs:
            if isinstance(rule, bool) or not isinstance(rule, (SectorRule, int, float)):
                raise BundleInputError(
                    f"{which} for sector {sector!r} is {rule!r}; give a SectorRule or a count"
                )
            if not isinstance(rule, SectorRule):
                rule = SectorRule(rule)
            amount = _number(rule.amount, f"{which} for sector {sector!r}")
            if amount < 0:
                raise BundleInputError(f"{which} for sector {sector!r} is negative; use 0+")
            if rule.resource is None and amount != int(amount):
                raise BundleInputError(
                    f"{which} for sector {sector!r} counts projects but is {amount:g}; give a "
                    "whole number, or SectorRule(amount, resource=...) for money"
                )
            out.append((sector, rule))
    return out


def _scores(candidates: Sequence[Candidate], objective: ScoreArg) -> np.ndarray:
    if objective is None:
        return np.array([float(c.value) for c in candidates])
    if callable(objective):
        raw = [objective(c) for c in candidates]
    else:
        missing = [c.id for c in candidates if c.id not in objective]
        if missing:
            raise BundleInputError(
                f"the objective gives no score for {missing[:5]}; score every candidate"
            )
        raw = [objective[c.id] for c in candidates]
    return np.array(
        [_number(v, f"score of {c.id!r}") for v, c in zip(raw, candidates, strict=True)]
    )


def _row(idx: list[int], coef: list[float], sense: str, rhs: float):
    return (np.asarray(idx, dtype=np.int64), np.asarray(coef, dtype=float), sense, rhs)


def build_problem(
    candidates: Sequence[Candidate],
    limits: Mapping[str, float],
    *,
    sector_min: RuleArg = None,
    sector_max: RuleArg = None,
    must_include: Iterable[str] = (),
    must_exclude: Iterable[str] = (),
    objective: ScoreArg = None,
) -> BundleProblem:
    """Check the input and build the constraint groups of a bundle problem.

    Raises :class:`~appraisal.errors.BundleInputError` (or its subclass
    :class:`~appraisal.errors.CyclicRequirementError`) naming the first problem found.
    The arguments are those of :func:`appraisal.bundling.optimiser.optimise_bundle`.

    Examples
    --------
    >>> cands = [Candidate("a", 2.0, {"capex": 5.0}), Candidate("b", 1.0, {"capex": 4.0})]
    >>> [g.kind for g in build_problem(cands, {"capex": 6.0}, must_include=["b"]).groups]
    ['limit', 'must_include']
    """
    candidates = list(candidates)
    index = _check_candidates(candidates)
    cycle = _find_cycle(candidates)
    if cycle:
        loop = " -> ".join([*cycle, cycle[0]])
        raise CyclicRequirementError(
            f"requirements form a cycle ({loop}); break it by removing one requirement",
            cycle,
        )
    lims = _check_limits(limits)
    mins, maxs = _rules(sector_min, "sector_min"), _rules(sector_max, "sector_max")
    used = {res for c in candidates for res in c.costs}
    rule_res = {r.resource for _, r in mins + maxs if r.resource is not None}
    if rule_res - used:
        res = sorted(rule_res - used)[0]
        raise BundleInputError(f"a sector rule uses resource {res!r}, which no candidate has")
    if used - set(lims) - rule_res:
        res = sorted(used - set(lims) - rule_res)[0]
        raise BundleInputError(
            f"candidates use resource {res!r} but no limit is given for it; add a limit "
            "(float('inf') for none) or drop that cost"
        )
    for which, ids in (("must_include", must_include), ("must_exclude", must_exclude)):
        if isinstance(ids, str):
            raise BundleInputError(f"{which} is a string; give a list of ids")
    forced_in, forced_out = list(must_include), list(must_exclude)
    for which, ids in (("must_include", forced_in), ("must_exclude", forced_out)):
        for cid in ids:
            if cid not in index:
                raise BundleInputError(f"{which} names unknown candidate {cid!r}; fix the id")
    both = sorted(set(forced_in) & set(forced_out))
    if both:
        raise BundleInputError(
            f"candidate(s) {both} are both in must_include and must_exclude; keep one"
        )
    costs = {
        res: np.array([float(c.costs.get(res, 0.0)) for c in candidates]) for res in sorted(used)
    }
    groups: list[ConstraintGroup] = []
    for res, cap in lims.items():
        if math.isinf(cap) or res not in costs:
            continue
        nz = np.flatnonzero(costs[res])
        row = (nz, costs[res][nz], "<=", cap)
        groups.append(
            ConstraintGroup(
                "limit", res, f"the limit on {res} is {cap:g}", (row,), resource=res, rhs=cap
            )
        )
    for which, rules, sense in (("sector_min", mins, ">="), ("sector_max", maxs, "<=")):
        word = "at least" if sense == ">=" else "at most"
        for sector, rule in rules:
            members = [i for i, c in enumerate(candidates) if c.sector == sector]
            if rule.resource is None:
                coef, unit = [1.0] * len(members), "project(s)"
            else:
                coef, unit = [costs[rule.resource][i] for i in members], f"of {rule.resource}"
            groups.append(
                ConstraintGroup(
                    which,
                    f"{sector}:{rule.resource or 'count'}",
                    f"sector {sector} needs {word} {float(rule.amount):g} {unit}",
                    (_row(members, coef, sense, float(rule.amount)),),
                    resource=rule.resource,
                    rhs=float(rule.amount),
                    members=tuple(candidates[i].id for i in members),
                )
            )
    for c in candidates:
        for req in c.requires:
            groups.append(
                ConstraintGroup(
                    "requires",
                    f"{c.id}>{req}",
                    f"{c.id} requires {req}",
                    (_row([index[c.id], index[req]], [1.0, -1.0], "<=", 0.0),),
                    members=(c.id, req),
                )
            )
    seen: set[frozenset[str]] = set()
    for c in candidates:
        for other in c.excludes:
            pair = frozenset((c.id, other))
            if pair in seen:
                continue
            seen.add(pair)
            groups.append(
                ConstraintGroup(
                    "excludes",
                    f"{c.id}|{other}",
                    f"{c.id} and {other} exclude each other",
                    (_row([index[c.id], index[other]], [1.0, 1.0], "<=", 1.0),),
                    members=(c.id, other),
                )
            )
    variants: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        if c.group is not None:
            variants.setdefault(c.group, []).append(i)
    for name, members in variants.items():
        if len(members) > 1:
            ids = tuple(candidates[i].id for i in members)
            groups.append(
                ConstraintGroup(
                    "group",
                    name,
                    f"at most one of group {name} ({', '.join(ids)})",
                    (_row(members, [1.0] * len(members), "<=", 1.0),),
                    members=ids,
                )
            )
    for cid in dict.fromkeys(forced_in):
        groups.append(
            ConstraintGroup(
                "must_include", cid, f"{cid} must be included", fix={index[cid]: 1}, members=(cid,)
            )
        )
    for cid in dict.fromkeys(forced_out):
        groups.append(
            ConstraintGroup(
                "must_exclude", cid, f"{cid} must be left out", fix={index[cid]: 0}, members=(cid,)
            )
        )
    return BundleProblem(
        ids=tuple(c.id for c in candidates),
        scores=_scores(candidates, objective),
        costs=costs,
        groups=tuple(groups),
    )
