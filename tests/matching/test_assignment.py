"""assign: optimality against exhaustive search, and loads never broken."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.assignment import Assignment, assign
from matching.errors import CapacityError, NoCandidatesError

from .reference import brute_force

DATA = Path(__file__).parent / "data"


def test_wikipedia_hungarian_example():
    case = json.loads((DATA / "hungarian_wikipedia.json").read_text())
    scores = {
        (w, j): -float(case["cost"][i][k])
        for i, w in enumerate(case["workers"])
        for k, j in enumerate(case["jobs"])
    }
    result = assign(scores)
    assert -result.total_score == case["expected_total_cost"]
    assert {m.project: m.partner for m in result} == case["expected_assignment"]


@st.composite
def problems(draw):
    projects = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    partners = [f"q{i}" for i in range(draw(st.integers(1, 3)))]
    cells = [(p, q) for p in projects for q in partners]
    edges = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=8, unique=True))
    scores = {e: draw(st.integers(-3, 10)) / 4 for e in edges}
    demand = {p: draw(st.integers(0, 2)) for p in projects}
    capacity = {q: draw(st.integers(0, 2)) for q in partners}
    min_load = {q: draw(st.integers(0, 1)) for q in partners}
    marks = {e: draw(st.sampled_from(["free", "free", "free", "blocked", "forced"])) for e in edges}
    blocked = [e for e, m in marks.items() if m == "blocked"]
    forced = [e for e, m in marks.items() if m == "forced"]
    return scores, demand, capacity, min_load, blocked, forced


def _check_loads(result, demand, capacity, min_load, blocked, forced):
    pairs = [(m.project, m.partner) for m in result]
    assert len(pairs) == len(set(pairs))
    per_project = Counter(p for p, _ in pairs)
    per_partner = Counter(q for _, q in pairs)
    assert all(per_project[p] <= d for p, d in demand.items())
    assert all(per_partner[q] <= c for q, c in capacity.items())
    assert all(per_partner[q] >= m for q, m in min_load.items())
    assert not set(pairs) & set(blocked)
    assert set(forced) <= set(pairs)
    assert result.unmet_demand == {
        p: d - per_project[p] for p, d in demand.items() if d > per_project[p]
    }


@pytest.mark.parametrize("max_min", [False, True])
@settings(max_examples=120, deadline=None)
@given(problem=problems())
def test_optimal_and_feasible_against_exhaustive_search(problem, max_min):
    scores, demand, capacity, min_load, blocked, forced = problem
    if len(blocked) == len(scores):
        with pytest.raises(NoCandidatesError):
            assign(scores, demand=demand, capacity=capacity, blocked=blocked)
        return
    best = brute_force(
        scores,
        demand=demand,
        capacity=capacity,
        min_load=min_load,
        blocked=blocked,
        forced=forced,
        max_min=max_min,
    )
    options = {
        "demand": demand,
        "capacity": capacity,
        "min_load": min_load,
        "blocked": blocked,
        "forced": forced,
        "max_min_first": max_min,
    }
    if best is None:
        with pytest.raises(CapacityError):
            assign(scores, **options)
        return
    result = assign(scores, **options)
    _check_loads(result, demand, capacity, min_load, blocked, forced)
    assert len(result) == len(best)
    assert result.total_score == pytest.approx(sum(scores[e] for e in best), abs=1e-9)
    assert all(
        isinstance(m, Assignment) and m.score == scores[m.project, m.partner] for m in result
    )


def test_partial_assignment_reports_what_is_missing():
    scores = {("p1", "a"): 0.9, ("p2", "a"): 0.8, ("p3", "a"): 0.7}
    result = assign(scores, capacity=2, demand={"p1": 1, "p2": 1, "p3": 1, "p4": 2})
    assert [m.project for m in result] == ["p1", "p2"]
    assert result.unmet_demand == {"p3": 1, "p4": 2}


def test_coverage_comes_before_score():
    # Score alone would give a to p1 (1.0) and leave p2 without a partner.
    scores = {("p1", "a"): 1.0, ("p1", "b"): 0.0, ("p2", "a"): 0.9}
    result = assign(scores)
    assert {(m.project, m.partner) for m in result} == {("p1", "b"), ("p2", "a")}
    assert result.unmet_demand == {}


def test_max_min_first_raises_the_worst_project():
    scores = {("p1", "a"): 1.0, ("p1", "b"): 0.6, ("p2", "a"): 0.7, ("p2", "b"): 0.2}
    assert assign(scores).total_score == pytest.approx(1.3)  # p1-b 0.6 + p2-a 0.7 = 1.3
    fair = assign(scores, max_min_first=True)
    assert min(m.score for m in fair) == pytest.approx(0.6)
    assert fair.method == "milp"
