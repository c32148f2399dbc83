"""assign: every bad input raises a MatchingError subclass that names the problem."""

from __future__ import annotations

import math

import pytest

from matching.assignment import assign
from matching.errors import (
    CapacityError,
    ConflictingPairsError,
    InvalidScoreError,
    MatchingError,
    NoCandidatesError,
    UnknownIdError,
)
from matching.pairs import PairScores

S = {("p1", "a"): 0.9, ("p1", "b"): 0.5, ("p2", "a"): 0.4}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scores": {}}, NoCandidatesError, "no scored pairs"),
        ({"blocked": list(S)}, NoCandidatesError, "every scored pair is blocked"),
        ({"forced": [("p9", "a")]}, UnknownIdError, "unknown project 'p9'"),
        ({"blocked": [("p1", "zz")]}, UnknownIdError, "unknown partner 'zz'"),
        ({"forced": [("p2", "b")]}, UnknownIdError, r"\('p2', 'b'\) has no score"),
        ({"forced": [("p1", "a"), ("p2", "a")]}, CapacityError, "partner 'a' exceed"),
        (
            {"forced": [("p1", "a"), ("p1", "b")]},
            CapacityError,
            "project 'p1' exceed its demand",
        ),
        ({"forced": [("p1", "a")], "blocked": [("p1", "a")]}, ConflictingPairsError, "both"),
        ({"capacity": -1}, CapacityError, "capacity of 'a' is -1"),
        ({"demand": 1.5}, CapacityError, "whole number"),
        ({"capacity": {"a": 1}}, CapacityError, "no capacity given for 'b'"),
        ({"min_load": {"a": 2}}, CapacityError, "exceeds its capacity"),
        ({"min_load": 2, "capacity": 2}, CapacityError, "partner 'b' needs at least 2"),
        ({"min_load": {"ghost": 1}}, CapacityError, "no scored pair"),
        ({"scores": {("p", "a"): math.nan}}, InvalidScoreError, "is nan"),
        ({"scores": {("p", "a"): math.inf}}, InvalidScoreError, "finite"),
        ({"scores": {("p", "a"): "high"}}, InvalidScoreError, "give a number"),
    ],
)
def test_bad_input_names_the_problem(kwargs, error, match):
    scores = kwargs.pop("scores", S)
    with pytest.raises(error, match=match) as caught:
        assign(scores, **kwargs)
    assert isinstance(caught.value, MatchingError)


def test_min_loads_that_cannot_hold_together():
    # Both partners need a project, but there is only one project slot.
    scores = {("p1", "a"): 1.0, ("p1", "b"): 1.0}
    with pytest.raises(CapacityError, match="cannot all hold"):
        assign(scores, min_load=1)


def test_matrix_input_validated():
    with pytest.raises(InvalidScoreError, match="shape"):
        PairScores.from_matrix([[1.0]], ["p1", "p2"], ["a"])
    with pytest.raises(NoCandidatesError):
        PairScores.from_matrix([[math.nan]], ["p1"], ["a"])
