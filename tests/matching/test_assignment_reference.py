"""assign on medium problems against scipy's milp and linear_sum_assignment."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from matching.assignment import assign
from matching.pairs import PairScores


def milp_reference(ps: PairScores, demand, capacity, forced=None):
    """Lexicographic (filled slots, total score) optimum as two 0/1 MILPs."""
    n = len(ps)
    edges = np.arange(n)
    a = sp.vstack(
        [
            sp.csr_matrix((np.ones(n), (ps.project_index, edges)), (len(ps.project_ids), n)),
            sp.csr_matrix((np.ones(n), (ps.partner_index, edges)), (len(ps.partner_ids), n)),
        ]
    )
    upper = np.concatenate([demand, capacity])
    lower = np.zeros(n) if forced is None else forced.astype(float)
    rows = [LinearConstraint(a, -np.inf, upper)]
    ones = np.ones(n)
    count = milp(-ones, constraints=rows, bounds=Bounds(lower, 1), integrality=ones)
    rows.append(LinearConstraint(ones[None, :], round(-count.fun), np.inf))
    best = milp(-ps.score, constraints=rows, bounds=Bounds(lower, 1), integrality=ones)
    return round(-count.fun), -best.fun


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shortage=st.booleans())
def test_sparse_b_matching_equals_milp(seed, shortage):
    rng = np.random.default_rng(seed)
    n_p, n_q, k = 60, 25, 5
    pi = np.repeat(np.arange(n_p), k)
    qi = np.concatenate([rng.choice(n_q, k, replace=False) for _ in range(n_p)])
    ps = PairScores(
        tuple(f"p{i}" for i in range(n_p)),
        tuple(f"q{j}" for j in range(n_q)),
        pi,
        qi,
        rng.integers(-2, 20, len(pi)) / 8,
    )
    demand = rng.integers(0, 3, n_p)
    capacity = rng.integers(0, 3 if shortage else 8, n_q)
    result = assign(
        ps,
        demand=dict(zip(ps.project_ids, demand.tolist(), strict=True)),
        capacity=dict(zip(ps.partner_ids, capacity.tolist(), strict=True)),
    )
    filled, total = milp_reference(ps, demand, capacity)
    assert len(result) == filled
    assert result.total_score == pytest.approx(total, abs=1e-7)
    assert sum(result.unmet_demand.values()) == demand.sum() - filled
    load = Counter(m.partner for m in result)
    assert all(load[q] <= c for q, c in zip(ps.partner_ids, capacity, strict=True))


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(5, 60), cols=st.integers(5, 60))
def test_dense_one_to_one_equals_linear_sum_assignment(seed, rows, cols):
    rng = np.random.default_rng(seed)
    matrix = rng.random((rows, cols))
    r, c = linear_sum_assignment(matrix, maximize=True)
    ps = PairScores.from_matrix(
        matrix, [f"p{i}" for i in range(rows)], [f"q{j}" for j in range(cols)]
    )
    result = assign(ps)
    assert result.method == "linear_sum_assignment"
    assert result.total_score == pytest.approx(matrix[r, c].sum(), abs=1e-9)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_holes_and_forced_pairs_in_one_to_one_equal_milp(seed):
    rng = np.random.default_rng(seed)
    matrix = rng.random((30, 25))
    matrix[rng.random(matrix.shape) < 0.6] = np.nan
    ps = PairScores.from_matrix(matrix, [f"p{i}" for i in range(30)], [f"q{j}" for j in range(25)])
    forced = np.zeros(len(ps), dtype=bool)
    first = int(rng.integers(len(ps)))
    forced[first] = True
    pair = (ps.project_ids[ps.project_index[first]], ps.partner_ids[ps.partner_index[first]])
    result = assign(ps, forced=[pair])
    assert result.method == "linear_sum_assignment"
    filled, total = milp_reference(ps, np.ones(30), np.ones(25), forced)
    assert len(result) == filled
    assert result.total_score == pytest.approx(total, abs=1e-9)
    assert pair in {(m.project, m.partner) for m in result}
