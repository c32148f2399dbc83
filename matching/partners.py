"""Partner matching end to end: score the candidates, assign optimally, explain each match.

Scores come from the vectorised scorer; only the chosen pairs are explained, by the
reference :func:`matching.scoring.score_pair` (the two agree, which the tests check).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.assignment import assign
from matching.scoring import PartnerProfile, ProjectProfile, score_pair
from matching.scoring_batch import score_pairs

__all__ = ["ExplainedMatch", "PartnerMatching", "match_partners"]


@dataclass(frozen=True)
class ExplainedMatch:
    """A chosen (project, partner) pair with its fit, confidence and reasons."""

    project: str
    partner: str
    score: float
    confidence: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PartnerMatching:
    """The explained matches, what demand is unmet, and the total fit."""

    matches: tuple[ExplainedMatch, ...]
    unmet_demand: dict[str, int]
    total_score: float


def match_partners(
    projects: Sequence[ProjectProfile],
    partners: Sequence[PartnerProfile],
    *,
    candidates: Mapping[str, Iterable[str]] | None = None,
    capacity: int | Mapping[str, int] = 1,
    demand: int | Mapping[str, int] = 1,
    min_load: int | Mapping[str, int] = 0,
    blocked: Iterable[tuple[str, str]] = (),
    forced: Iterable[tuple[str, str]] = (),
    max_min_first: bool = False,
    weights: Mapping[str, float] | None = None,
    fx: Mapping[str, float] | None = None,
) -> PartnerMatching:
    """Score, assign (see :func:`matching.assignment.assign`) and explain.

    Parameters
    ----------
    projects, partners : sequence of profiles
    candidates : mapping of project id to partner ids, optional
        Partners considered per project; all when omitted.
    capacity, demand, min_load, blocked, forced, max_min_first
        As in :func:`matching.assignment.assign`.
    weights, fx : mapping, optional
        As in :func:`matching.scoring.score_pair`.

    Returns
    -------
    PartnerMatching

    Examples
    --------
    >>> p = ProjectProfile("p1", sector="Energy")
    >>> qs = [PartnerProfile("a", "local company", sectors={"Energy"}),
    ...       PartnerProfile("b", "local company", sectors={"ICT"})]
    >>> m = match_partners([p], qs).matches[0]
    >>> m.partner, m.reasons[0]
    ('a', "works in Energy (the project's sector)")
    """
    pairs = None
    if candidates is not None:
        pairs = [(p, q) for p, names in candidates.items() for q in names]
        if not pairs:
            pairs = np.empty((0, 2), dtype=np.int64)
    ps = score_pairs(projects, partners, pairs, weights=weights, fx=fx)
    chosen = assign(
        ps,
        capacity=capacity,
        demand=demand,
        min_load=min_load,
        blocked=blocked,
        forced=forced,
        max_min_first=max_min_first,
    )
    project_of = {p.id: p for p in projects}
    partner_of = {q.id: q for q in partners}
    matches = []
    for a in chosen:
        fit = score_pair(project_of[a.project], partner_of[a.partner], weights=weights, fx=fx)
        matches.append(ExplainedMatch(a.project, a.partner, a.score, fit.confidence, fit.reasons))
    return PartnerMatching(tuple(matches), chosen.unmet_demand, chosen.total_score)
