"""Pareto frontier (epsilon-constraint) and budget curve, against exhaustive search."""

from __future__ import annotations

import math

import numpy as np
import pytest

from appraisal.bundling.optimiser import Candidate, budget_curve, pareto_frontier
from appraisal.errors import BundleInputError, InfeasibleBundleError
from tests.appraisal.bundling.test_bundles_oracle import feasible_mask, random_instance


def _gap_closure(cands):
    return {c.id: float((3 * int(c.id[1:])) % 7) for c in cands}


@pytest.mark.parametrize("seed", range(8))
def test_frontier_points_are_efficient_and_monotone(seed):
    cands, limits, rules = random_instance(200 + seed, n=10)
    second = _gap_closure(cands)
    subsets, ok = feasible_mask(cands, limits, **rules)
    if not ok.any():
        with pytest.raises(InfeasibleBundleError):
            pareto_frontier(cands, limits, second=second, gap=0.0, **rules)
        return
    points = pareto_frontier(cands, limits, second=second, points=6, gap=0.0, **rules)
    f1 = subsets[ok] @ np.array([c.value for c in cands])
    f2 = subsets[ok] @ np.array([second[c.id] for c in cands])
    assert points[0].first == pytest.approx(f1.max())
    assert points[-1].second == pytest.approx(f2.max())
    for p in points:
        # No feasible bundle beats p on both scores (p is efficient).
        better = (f1 >= p.first - 1e-9) & (f2 >= p.second - 1e-9)
        assert not (better & ((f1 > p.first + 1e-9) | (f2 > p.second + 1e-9))).any()
        # p's first score is the best possible at its second score (epsilon step exact).
        assert p.first == pytest.approx(f1[f2 >= p.second - 1e-9].max())
    for a, b in zip(points, points[1:], strict=False):
        assert a.second < b.second and a.first > b.first


@pytest.mark.parametrize("seed", range(8))
def test_budget_curve_is_nondecreasing_and_exact(seed):
    cands, limits, rules = random_instance(300 + seed, n=10)
    scales = (0.0, 0.5, 1.0, 1.5, 3.0)
    curve = budget_curve(cands, limits, scales=scales, gap=0.0, **rules)
    assert [p.scale for p in curve] == list(scales)
    values = [p.objective for p in curve if not math.isnan(p.objective)]
    assert values == sorted(values)
    for p in curve:
        subsets, ok = feasible_mask(cands, p.limits, **rules)
        best = (subsets[ok] @ np.array([c.value for c in cands])).max() if ok.any() else None
        if best is None:
            assert p.status == "infeasible"
        else:
            assert p.objective == pytest.approx(best)


def test_budget_curve_marginal_value_per_unit():
    cands = [Candidate("a", 5.0, {"k": 4.0}), Candidate("b", 3.0, {"k": 4.0})]
    curve = budget_curve(cands, {"k": 4.0}, scales=(1, 2), resources=["k"])
    assert math.isnan(curve[0].marginal)
    assert curve[1].marginal == pytest.approx(3.0 / 4.0)  # 4 more units buy b (3)


def test_frontier_and_curve_reject_bad_options():
    cands = [Candidate("a", 5.0, {"k": 4.0})]
    with pytest.raises(BundleInputError, match="points"):
        pareto_frontier(cands, {"k": 4.0}, second={"a": 1.0}, points=1)
    with pytest.raises(BundleInputError, match="unknown option"):
        pareto_frontier(cands, {"k": 4.0}, second={"a": 1.0}, budget=3)
    with pytest.raises(BundleInputError, match="scales"):
        budget_curve(cands, {"k": 4.0}, scales=(-1.0,))
    with pytest.raises(BundleInputError, match="no limit"):
        budget_curve(cands, {"k": 4.0}, resources=["capex"])
