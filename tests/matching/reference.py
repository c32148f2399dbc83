"""Exact references for the tests: exhaustive search over every subset of edges."""

from __future__ import annotations

import itertools
from collections import Counter


def brute_force(scores, *, demand, capacity, min_load, blocked=(), forced=(), max_min=False):
    """Best feasible edge set, lexicographic on (filled slots, [worst service,] total).

    Returns None when no subset is feasible. ``demand``, ``capacity`` and ``min_load``
    are dicts per id.
    """
    edges = [e for e in scores if e not in set(blocked)]
    served = {p for p, _ in edges}
    best_key, best = None, None
    for size in range(len(edges) + 1):
        for subset in itertools.combinations(edges, size):
            if not set(forced) <= set(subset):
                continue
            per_project = Counter(p for p, _ in subset)
            per_partner = Counter(q for _, q in subset)
            if any(per_project[p] > d for p, d in demand.items()):
                continue
            if any(per_partner[q] > c for q, c in capacity.items()):
                continue
            if any(per_partner[q] < m for q, m in min_load.items()):
                continue
            total = sum(scores[e] for e in subset)
            key = (size, total)
            if max_min:
                service = [
                    sum(scores[e] for e in subset if e[0] == p) / d
                    for p, d in demand.items()
                    if d > 0 and p in served
                ]
                key = (size, round(min(service, default=0.0), 9), total)
            if best_key is None or key > best_key:
                best_key, best = key, subset
    return best
