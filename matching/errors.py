"""Errors of the matching package; each says what is wrong and what to change."""

from __future__ import annotations

__all__ = [
    "MatchingError",
    "NoCandidatesError",
    "UnknownIdError",
    "CapacityError",
    "InvalidScoreError",
    "InvalidWeightsError",
    "InvalidProfileError",
    "SolverError",
    "ConflictingPairsError",
]


class MatchingError(ValueError):
    """Base class for bad matching input."""


class NoCandidatesError(MatchingError):
    """Nothing to match: no scored pairs, no partners or no projects."""


class UnknownIdError(MatchingError):
    """A forced or blocked pair names a project or partner that has no score."""


class CapacityError(MatchingError):
    """Capacities, demands or forced pairs that cannot hold together."""


class InvalidScoreError(MatchingError):
    """A score that is NaN, infinite or outside its range."""


class InvalidWeightsError(MatchingError):
    """Scoring weights that are negative, NaN or all zero."""


class InvalidProfileError(MatchingError):
    """A project, partner or city profile with a value out of its domain."""


class SolverError(MatchingError):
    """The solver stopped without a proven optimum (time limit or numerical trouble)."""


class ConflictingPairsError(MatchingError):
    """A pair that is both forced and blocked."""
