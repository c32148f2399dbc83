"""Benchmark of the matching engine (one run, best of a few repeats; 2 noisy cores).

1. 10,000 projects x 2,000 partners, 20 candidate partners per project, two partners
   per project, partner capacities 8 to 16: vectorised scoring + exact assignment.
   Goal: under 5 s in total. The LP optimum is checked against scipy's milp.
2. Dense 1,000 x 1,000 one-to-one: assign() against scipy's linear_sum_assignment
   called directly (same total required; the time ratio printed).

Run: .venv/bin/python benchmarks/bench_matching.py
"""

from __future__ import annotations

import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from matching.assignment import assign
from matching.pairs import PairScores
from matching.scoring import PARTNER_KINDS, RISK_LEVELS, PartnerProfile, ProjectProfile
from matching.scoring_batch import score_pairs

REPEATS = 3
SECTORS = [f"sector {i}" for i in range(12)]
CAPABILITIES = [f"capability {i}" for i in range(40)]
COUNTRIES = [f"C{i}" for i in range(60)]
REGIONS = [f"region {i}" for i in range(7)]


def best_time(fn):
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def profiles(rng, n_projects, n_partners):
    def pick(values, k):
        return set(rng.choice(values, k, replace=False).tolist())

    projects = [
        ProjectProfile(
            f"p{i}",
            sector=str(rng.choice(SECTORS)),
            needs=pick(CAPABILITIES, 3),
            country=str(rng.choice(COUNTRIES)),
            region=str(rng.choice(REGIONS)),
            capex=float(rng.uniform(1e6, 5e7)),
            currency="EUR",
            risk=str(rng.choice(RISK_LEVELS)),
        )
        for i in range(n_projects)
    ]
    partners = [
        PartnerProfile(
            f"q{i}",
            str(rng.choice(PARTNER_KINDS)),
            sectors=pick(SECTORS, 3),
            capabilities=pick(CAPABILITIES, 8),
            countries=pick(COUNTRIES, 5),
            regions=pick(REGIONS, 2),
            ticket_min=1e6,
            ticket_max=float(rng.uniform(5e6, 5e7)),
            currency="EUR" if rng.random() < 0.7 else "USD",
            risk_appetite=str(rng.choice(RISK_LEVELS)),
            track_record=None if rng.random() < 0.2 else int(rng.integers(0, 10)),
        )
        for i in range(n_partners)
    ]
    return projects, partners


def milp_total(ps: PairScores, demand: int, capacity: np.ndarray) -> float:
    """Reference optimum: the same model as a MILP (0/1 variables) in scipy's milp."""
    edges = np.arange(len(ps))
    a = sp.vstack(
        [
            sp.csr_matrix((np.ones(len(ps)), (ps.project_index, edges))),
            sp.csr_matrix((np.ones(len(ps)), (ps.partner_index, edges))),
        ]
    )
    upper = np.concatenate([np.full(len(ps.project_ids), demand), capacity])
    result = milp(
        -ps.score,
        constraints=LinearConstraint(a, -np.inf, upper),
        bounds=Bounds(0, 1),
        integrality=np.ones(len(ps)),
    )
    return -result.fun


def large_case() -> bool:
    rng = np.random.default_rng(2024)
    n_projects, n_partners, k, demand = 10_000, 2_000, 20, 2
    projects, partners = profiles(rng, n_projects, n_partners)
    candidates = np.column_stack(
        [
            np.repeat(np.arange(n_projects), k),
            np.concatenate([rng.choice(n_partners, k, replace=False) for _ in projects]),
        ]
    )
    capacity_values = rng.integers(8, 17, n_partners)
    capacity = dict(zip((q.id for q in partners), capacity_values.tolist(), strict=True))
    fx = {"EUR": 1.0, "USD": 0.92}

    def run():
        t0 = time.perf_counter()
        ps = score_pairs(projects, partners, candidates, fx=fx)
        t1 = time.perf_counter()
        result = assign(ps, capacity=capacity, demand=demand)
        return ps, result, t1 - t0, time.perf_counter() - t1

    total, (ps, result, t_score, t_assign) = best_time(run)
    start = time.perf_counter()
    reference = milp_total(ps, demand, capacity_values)
    t_milp = time.perf_counter() - start
    same = abs(result.total_score - reference) <= 1e-6 * max(1.0, abs(reference))
    ok = total < 5.0 and same
    print(
        f"[large] {n_projects:,} projects x {n_partners:,} partners, {len(ps):,} candidate "
        f"pairs, demand {demand}, capacities 8-16"
    )
    print(
        f"  scoring {t_score:.2f} s + assignment ({result.method}) {t_assign:.2f} s "
        f"= {total:.2f} s (goal < 5 s); {len(result):,} pairs, unmet "
        f"{sum(result.unmet_demand.values())}"
    )
    print(
        f"  total score {result.total_score:.6f} vs scipy milp {reference:.6f} "
        f"({t_milp:.2f} s): {'same' if same else 'DIFFERENT'}"
    )
    print(f"  {'PASS' if ok else 'FAIL'}")
    return ok


def dense_case() -> bool:
    rng = np.random.default_rng(7)
    n = 1_000
    matrix = rng.random((n, n))
    projects = [f"p{i}" for i in range(n)]
    partners = [f"q{i}" for i in range(n)]

    def direct():
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        return matrix[rows, cols].sum()

    t_lsa, lsa_total = best_time(direct)
    t_ours, result = best_time(lambda: assign(PairScores.from_matrix(matrix, projects, partners)))
    as_dict = {(p, q): matrix[i, j] for i, p in enumerate(projects) for j, q in enumerate(partners)}
    t_dict, dict_result = best_time(lambda: assign(as_dict))
    same = (
        abs(result.total_score - lsa_total) <= 1e-9 * n
        and abs(dict_result.total_score - lsa_total) <= 1e-9 * n
    )
    print(f"[dense] {n:,} x {n:,} one-to-one")
    print(f"  scipy linear_sum_assignment {t_lsa * 1e3:.1f} ms, total {lsa_total:.9f}")
    print(
        f"  assign(PairScores.from_matrix) {t_ours * 1e3:.1f} ms ({result.method}), "
        f"total {result.total_score:.9f}, ratio {t_ours / t_lsa:.1f}x"
    )
    print(
        f"  assign(dict of 1,000,000 pairs) {t_dict * 1e3:.1f} ms, ratio {t_dict / t_lsa:.1f}x "
        "(the dictionary is read into arrays first)"
    )
    print(f"  same total: {same}  {'PASS' if same else 'FAIL'}")
    return same


if __name__ == "__main__":
    results = [large_case(), dense_case()]
    print("ALL PASS" if all(results) else "SOME FAIL")
    sys.exit(0 if all(results) else 1)
