"""optimise_bundle against exhaustive search on random small instances (n <= 14)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from appraisal.bundling.optimiser import Candidate, optimise_bundle
from tests.appraisal.bundling.test_bundles_oracle import best_value, feasible_mask, random_instance


@pytest.mark.parametrize("solver", ["highs", "cbc"])
@pytest.mark.parametrize("seed", range(25))
def test_matches_exhaustive_search(seed, solver):
    cands, limits, rules = random_instance(seed)
    expected = best_value(cands, limits, **rules)
    result = optimise_bundle(cands, limits, gap=0.0, solver=solver, explain=False, **rules)
    if expected is None:
        assert result.status == "infeasible"
        assert result.selected == []
        return
    assert result.status == "optimal"
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert result.bound >= result.objective - 1e-6
    # The reported selection itself satisfies every condition and scores the objective.
    subsets, ok = feasible_mask(cands, limits, **rules)
    chosen = np.array([c.id in result.selected for c in cands])
    assert ok[(subsets == chosen).all(axis=1)].item()
    assert sum(c.value for c in cands if c.id in result.selected) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(10))
def test_objective_override_scores_by_the_given_weights(seed):
    cands, limits, rules = random_instance(100 + seed)
    weights = {c.id: float((7 * i) % 5) for i, c in enumerate(cands)}
    expected = best_value(cands, limits, scores=[weights[c.id] for c in cands], **rules)
    by_map = optimise_bundle(cands, limits, gap=0.0, objective=weights, explain=False, **rules)
    by_fn = optimise_bundle(
        cands, limits, gap=0.0, objective=lambda c: weights[c.id], explain=False, **rules
    )
    if expected is None:
        assert by_map.status == by_fn.status == "infeasible"
    else:
        assert by_map.objective == pytest.approx(expected)
        assert by_fn.objective == pytest.approx(expected)


def test_binding_limits_and_shadow_prices():
    cands = [
        Candidate("p1", 10.0, {"capex": 60.0, "staff": 1.0}),
        Candidate("p2", 7.0, {"capex": 50.0, "staff": 1.0}),
        Candidate("p3", 6.0, {"capex": 40.0, "staff": 1.0}),
    ]
    result = optimise_bundle(cands, {"capex": 100.0, "staff": 10.0}, gap=0.0)
    assert result.selected == ["p1", "p3"]
    assert result.binding == ["capex"]  # 0 left; staff has 8 to spare
    # LP relaxation: p1 and p3 in full (value/capex 0.167, 0.15), p2 takes nothing,
    # so one more unit of capex buys 7/50 of p2; +10 (10 %) buys 10 * 7/50.
    assert result.shadow_prices["capex"] == pytest.approx(7 / 50)
    assert result.shadow_prices["staff"] == pytest.approx(0.0, abs=1e-9)
    assert result.gain_10pct["capex"] == pytest.approx(10 * 7 / 50)
    assert any("capex is binding" in line for line in result.explanation)
    # What the words say is what the 0-1 problem gives, not the LP's 10 * 7/50 = 1.4:
    # capex 110 fits p1 and p2 (17) instead of p1 and p3 (16).
    raises = {(r.limit, r.step): r for r in result.raises}
    assert raises["capex", 10.0].gain == pytest.approx(1.0)
    assert (raises["capex", 10.0].added, raises["capex", 10.0].dropped) == (("p2",), ("p3",))
    assert raises["staff", 1.0].gain == 0.0
    assert "Raising capex by 10 (to 110) adds 1 (re-solved with the raised limit)." in (
        result.explanation
    )
    assert not any("LP" in line for line in result.explanation)


def test_must_include_without_any_cost_or_value_is_still_chosen():
    cands = [Candidate("free", 0.0, {}), Candidate("b", 1.0, {"k": 1.0})]
    result = optimise_bundle(cands, {"k": 1.0}, must_include=["free"])
    assert result.selected == ["free", "b"]


def test_time_limit_reports_bound_and_gap_for_both_solvers():
    # Strongly correlated knapsack: proving optimality to 1e-9 takes far over 1 s.
    rng = np.random.default_rng(7)
    n = 1500
    weights = rng.uniform(10, 100, (2, n))
    cands = [
        Candidate(f"p{i}", float(weights[0, i] + 10), {"a": weights[0, i], "b": weights[1, i]})
        for i in range(n)
    ]
    limits = {"a": float(weights[0].sum() / 2), "b": float(weights[1].sum() / 2)}
    for solver in ("cbc", "highs"):
        result = optimise_bundle(
            cands, limits, time_limit=1.0, gap=1e-9, solver=solver, explain=False
        )
        assert result.status == "time_limit", solver
        assert result.selected
        assert result.bound >= result.objective
        assert result.gap == pytest.approx(
            (result.bound - result.objective) / abs(result.objective)
        )
        assert not math.isnan(result.bound)
