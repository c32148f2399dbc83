"""Scored (project, partner) pairs held as arrays, the input of the solvers.

A mapping ``{(project_id, partner_id): score}`` is the public input of
:func:`matching.assignment.assign`; :class:`PairScores` is the same edge list as
index arrays, which the vectorised scorer produces directly so that large problems
skip building and re-reading a dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.errors import InvalidScoreError, NoCandidatesError

__all__ = ["PairScores"]


@dataclass(frozen=True, eq=False)
class PairScores:
    """Scores of candidate pairs as parallel arrays.

    Attributes
    ----------
    project_ids, partner_ids : tuple of str
        The ids; the index arrays point into them.
    project_index, partner_index : ndarray of int
        One entry per pair.
    score : ndarray of float
        One finite score per pair.
    confidence : ndarray of float or None
        Confidence per pair when the scores come from :mod:`matching.scoring_batch`.
    """

    project_ids: tuple[str, ...]
    partner_ids: tuple[str, ...]
    project_index: np.ndarray
    partner_index: np.ndarray
    score: np.ndarray
    confidence: np.ndarray | None = None

    def __post_init__(self) -> None:
        bad = ~np.isfinite(self.score)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidScoreError(
                f"score of ({self.project_ids[self.project_index[i]]!r}, "
                f"{self.partner_ids[self.partner_index[i]]!r}) is {self.score[i]}; "
                "give a finite number or leave the pair out"
            )
        keys = self.project_index.astype(np.int64) * len(self.partner_ids) + self.partner_index
        # A stable sort is near linear on the already ordered keys of a matrix.
        ordered = np.sort(keys, kind="stable")
        if (ordered[1:] == ordered[:-1]).any():
            raise InvalidScoreError("a (project, partner) pair appears twice; keep one score")

    def __len__(self) -> int:
        return len(self.score)

    @classmethod
    def from_mapping(cls, scores: Mapping[tuple[str, str], float]) -> PairScores:
        """Read ``{(project_id, partner_id): score}``.

        Examples
        --------
        >>> ps = PairScores.from_mapping({("p1", "a"): 0.5, ("p2", "a"): 0.25})
        >>> ps.project_ids, ps.partner_ids, ps.score.tolist()
        (('p1', 'p2'), ('a',), [0.5, 0.25])
        """
        if not scores:
            raise NoCandidatesError("no scored pairs; score at least one (project, partner)")
        projects: dict[str, int] = {}
        partners: dict[str, int] = {}
        n = len(scores)
        pi = np.empty(n, dtype=np.int64)
        qi = np.empty(n, dtype=np.int64)
        values = np.empty(n, dtype=float)
        for i, ((project, partner), value) in enumerate(scores.items()):
            pi[i] = projects.setdefault(project, len(projects))
            qi[i] = partners.setdefault(partner, len(partners))
            try:
                values[i] = value
            except (TypeError, ValueError) as exc:
                raise InvalidScoreError(
                    f"score of ({project!r}, {partner!r}) is {value!r}; give a number"
                ) from exc
        return cls(tuple(projects), tuple(partners), pi, qi, values)

    @classmethod
    def from_matrix(
        cls, matrix, project_ids: Sequence[str], partner_ids: Sequence[str]
    ) -> PairScores:
        """Read a dense (projects x partners) matrix; NaN marks a pair that is no candidate.

        Examples
        --------
        >>> ps = PairScores.from_matrix([[1.0, np.nan], [0.5, 2.0]], ["p", "r"], ["a", "b"])
        >>> len(ps), ps.score.tolist()
        (3, [1.0, 0.5, 2.0])
        """
        values = np.asarray(matrix, dtype=float)
        if values.shape != (len(project_ids), len(partner_ids)):
            raise InvalidScoreError(
                f"matrix shape {values.shape} does not match "
                f"{len(project_ids)} projects x {len(partner_ids)} partners"
            )
        if np.isinf(values).any():
            raise InvalidScoreError("the matrix holds an infinite score; use NaN for no pair")
        pi, qi = np.nonzero(~np.isnan(values))
        if len(pi) == 0:
            raise NoCandidatesError("the matrix has no scored pair (all NaN)")
        return cls(tuple(project_ids), tuple(partner_ids), pi, qi, values[pi, qi])

    def to_dict(self) -> dict[tuple[str, str], float]:
        """The pairs as ``{(project_id, partner_id): score}``.

        Examples
        --------
        >>> PairScores.from_mapping({("p", "a"): 1.0}).to_dict()
        {('p', 'a'): 1.0}
        """
        projects, partners = self.project_ids, self.partner_ids
        return {
            (projects[p], partners[q]): float(s)
            for p, q, s in zip(
                self.project_index.tolist(),
                self.partner_index.tolist(),
                self.score.tolist(),
                strict=True,
            )
        }
