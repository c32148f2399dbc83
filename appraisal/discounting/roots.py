"""Real roots of cash-flow polynomials: the engine behind ``irr``, ``irr_all`` and ``irr_many``.

Every IRR above -100 % is a root ``x > 0`` of ``P(x) = sum c[t] x**t``, ``x = 1 / (1 + r)``.
The pieces, each in its own module:

- :mod:`.root_bounds`: how many roots each side of 0 % can hold (sign changes of
  cumulative sums: Descartes' rule, Norstrom's criterion), exactly where rounding could
  mislead;
- :mod:`appraisal.discounting.root_solve`: a root alone on its side, by Halley's iteration (whole
  blocks of rows at once) or by bracketed, safeguarded Newton;
- :mod:`appraisal.discounting.root_isolation`: sides that may hold several roots, by subdivision in
  the Bernstein basis, and at worst companion-matrix eigenvalues.

:func:`irr_rows` settles most rows of a table block by block with the cheap bounds and
Halley's iteration; rows left open (rounding in doubt, several possible roots) go through
the careful path, vectorised as well; only rows with double or clustered roots are solved
one at a time. All functions take rows of finite flows and never depend on the other rows
of the table: a row's answer is the same alone or among a million.
"""

from __future__ import annotations

import numpy as np

from appraisal.discounting.root_bounds import block_bounds, bounds, exact_bounds, sums_if_exact
from appraisal.discounting.root_isolation import half_roots_by_eigenvalues, isolate
from appraisal.discounting.root_report import merge_multiple
from appraisal.discounting.root_solve import solve_bracketed, solve_half, solve_simple, to_rate

__all__ = ["normalise_rows", "irr_rows", "real_irrs"]

_CHUNK = 8192  # rows per block: the block and its vectors then stay in the CPU's L2 cache


def normalise_rows(flows: np.ndarray) -> np.ndarray:
    """Scale each row by a power of two so its largest magnitude lies in [0.5, 1).

    Powers of two scale exactly, so the roots of a row do not depend on its units.

    Examples
    --------
    >>> normalise_rows(np.array([[-300.0, 120.0]])).tolist()
    [[-0.5859375, 0.234375]]
    """
    peak = np.max(np.abs(flows), axis=1)
    _, exponent = np.frexp(np.where(peak > 0, peak, 1.0))
    return np.ldexp(flows, -exponent[:, None])


def irr_rows(flows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The single IRR of each row of finite flows, NaN where a row has none or several.

    Returns the rates and the number of roots per row (0, 1, or 2 meaning "two or more";
    -1 for a row of zeros).

    Examples
    --------
    >>> rates, counts = irr_rows(np.array([[-100.0, 110.0, 0.0], [-100.0, 230.0, -132.0]]))
    >>> rates.round(12).tolist(), counts.tolist()
    ([0.1, nan], [1, 2])
    """
    m, n = flows.shape
    rate = np.full(m, np.nan)
    count = np.zeros(m, dtype=np.int64)
    unsure = np.zeros(m, dtype=bool)
    width = min(m, _CHUNK)
    # Buffers reused by every block: fresh megabyte arrays cost page faults.
    work = (np.empty((n, width)), np.empty((n, width), bool), np.empty((n, width), bool))
    work += (np.empty((n, width)),)
    for i in range(0, m, _CHUNK):
        blk = flows[i : i + _CHUNK]
        at = work[-1][:, : blk.shape[0]]
        np.copyto(at, blk.T)
        b_pos, b_neg, doubt, total, d1, d2 = block_bounds(at, work[:3])
        one = ~doubt & (b_pos + b_neg == 1)
        # Each side's count has its bound's parity: odd on both sides means two roots.
        two = ~doubt & (b_pos % 2 == 1) & (b_neg % 2 == 1)
        count[i : i + _CHUNK][one] = 1
        count[i : i + _CHUNK][two] = 2
        unsure[i : i + _CHUNK] = doubt | ((b_pos + b_neg >= 2) & ~two)
        if one.any():
            # Solving every column costs less than copying out the ones to solve.
            got = solve_simple(at, b_neg, total, d1, d2, active=one)
            rate[i : i + _CHUNK][one] = got[one]
    idx = np.flatnonzero(unsure)
    if idx.size:
        rate[idx], count[idx] = _settle(normalise_rows(flows[idx]))
    return rate, count


def _settle(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`irr_rows` for normalised rows the block bounds left open."""
    m = a.shape[0]
    rate = np.full(m, np.nan)
    count = np.zeros(m, dtype=np.int64)
    zero = ~np.any(a != 0, axis=1)
    count[zero] = -1
    b_pos, b_neg, doubt = bounds(a)
    total = np.sign(np.sum(a, axis=1))
    slow = np.zeros(m, dtype=bool)
    idx = np.flatnonzero(doubt & ~zero)
    if idx.size:
        b_pos[idx], b_neg[idx], total[idx] = exact_bounds(a[idx])
        # r = 0 exactly is a root: divided out below (_root_at_zero).
        slow[idx[total[idx] == 0]] = True
    live = ~zero & ~slow
    two = live & (b_pos % 2 == 1) & (b_neg % 2 == 1)
    count[two] = 2
    live &= ~two
    found = np.zeros(m, dtype=np.int64)
    where: list[tuple[int, int, float, float, float]] = []  # (row, half, lo, hi, sign)
    for half, b in enumerate((b_pos, b_neg)):
        k = np.minimum(b, 1)
        iso = np.flatnonzero(live & (b >= 2))
        if iso.size:
            coef = a[iso] if half == 0 else a[iso, ::-1]
            k[iso], intervals = isolate(coef)
            where += [(int(iso[r]), half, lo, hi, s) for r, lo, hi, s in intervals]
        slow |= live & (k < 0)
        found += np.maximum(k, 0)
    live &= ~slow
    count[live] = np.minimum(found[live], 2)
    single = live & (found == 1)
    alone = np.flatnonzero(single & ((b_pos == 1) | (b_neg == 1)))
    if alone.size:
        # Halley, as on the fast path; the totals and weighted sums come from the block
        # bounds, whose own verdict (zeros in doubt) is not needed here.
        at = np.ascontiguousarray(a[alone].T)
        _, _, _, tot, d1, d2 = block_bounds(at)
        half = (b_pos[alone] != 1).astype(np.int64)
        rate[alone] = solve_simple(at, half, tot, d1, d2, sign_at_one=total[alone])
    for h in (0, 1):
        picked = [w for w in where if w[1] == h and single[w[0]]]
        if picked:
            idx = np.array([w[0] for w in picked])
            lo, hi, sign = (np.array([w[k] for w in picked]) for k in (2, 3, 4))
            coef = np.ascontiguousarray((a[idx] if h == 0 else a[idx, ::-1]).T)
            rate[idx] = to_rate(solve_bracketed(coef, lo, hi, 0.5 * (lo + hi), sign), h)
    zero_at_0 = np.flatnonzero(slow & (total == 0))
    if zero_at_0.size:
        rate[zero_at_0], count[zero_at_0], done = _root_at_zero(a[zero_at_0])
        slow[zero_at_0[done]] = False
    for i in np.flatnonzero(slow):
        roots = real_irrs(a[i])
        count[i] = min(len(roots), 2)
        if len(roots) == 1:
            rate[i] = roots[0]
    return rate, count


def _root_at_zero(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`irr_rows` for rows whose NPV at 0 % is exactly zero: r = 0 is a root.

    Where the cumulative sums ``s`` are exact, ``P(x) = (1 - x) Q(x)`` with
    ``Q(x) = sum s[t] x**t`` (t < n - 1), so the row's roots are r = 0 and Q's: solved for
    all such rows at once. Returns rates, counts and which rows were settled (the others,
    whose sums rounded, are left to :func:`real_irrs`).
    """
    m, n = a.shape
    rate, count = np.full(m, np.nan), np.zeros(m, dtype=np.int64)
    s, done = sums_if_exact(a)
    if n < 3:  # Q is a non-zero constant: r = 0 is the only root
        rate[done], count[done] = 0.0, 1
        return rate, count, done
    q = s[done, :-1]
    q_total, q_exact = sums_if_exact(q)
    q_zero = q_exact & (q_total[:, -1] == 0)  # r = 0 is a root of Q too
    done[np.flatnonzero(done)[~q_exact]] = False
    _, q_count = irr_rows(q[q_exact])
    found = np.minimum(q_count + np.where(q_zero[q_exact], 0, 1), 2)
    rows = np.flatnonzero(done)
    count[rows] = found
    rate[rows[found == 1]] = 0.0
    return rate, count, done


def _half_roots(coef: np.ndarray, half: int, bound: int | None, total: float) -> list[float]:
    """Every rate of one half whose roots may be several (``bound`` None: unknown)."""
    if bound == 0:
        return []
    if bound == 1:
        return list(
            solve_half(coef[:, None] if half == 0 else coef[::-1, None], half, np.array([-total]))
        )
    if bound is not None:
        k, intervals = isolate(coef[None, :])
        if k[0] >= 0:
            zs = [
                solve_bracketed(
                    coef[:, None],
                    np.array([lo]),
                    np.array([hi]),
                    np.array([0.5 * (lo + hi)]),
                    np.array([s]),
                )[0]
                for _, lo, hi, s in intervals
            ]
            return list(to_rate(np.array(zs, dtype=float), half))
    zs = half_roots_by_eigenvalues(coef, bound)
    return list(to_rate(np.array(zs, dtype=float), half))


def real_irrs(c: np.ndarray) -> list[float]:
    """Every distinct real IRR above -1 of one row of flows, ascending; empty when none.

    A double or triple root is one IRR (:func:`.root_report.merge_multiple`). The caller
    rejects a row of zeros beforehand (every rate is then a root).

    Examples
    --------
    >>> [round(r, 12) for r in real_irrs(np.array([-100.0, 230.0, -132.0]))]
    [0.1, 0.2]
    """
    a = normalise_rows(np.asarray(c, dtype=float)[None, :])
    row = a[0]
    roots: list[float] = []
    s = np.cumsum(a[0])
    while a.shape[1] > 1 and s[-1] == 0 and np.any(a):
        # F(1) = 0 exactly: r = 0 is a root; divide it out, P(x) = (1 - x) sum s[t] x**t.
        roots.append(0.0)
        a = normalise_rows(s[None, :-1])
        s = np.cumsum(a[0])
    if a.shape[1] > 1 and np.any(a):
        b_pos, b_neg, doubt = bounds(a)
        total = float(np.sign(s[-1]))
        found: list[int | None] = [int(b_pos[0]), int(b_neg[0])]
        if doubt[0]:
            bp, bn, tot = exact_bounds(a)
            total = float(tot[0])
            # An exact zero total the rounded sum missed: r = 0 is a root of unknown order.
            found = [int(bp[0]), int(bn[0])] if total != 0 else [None, None]
        for half, bound in enumerate(found):
            coef = a[0] if half == 0 else a[0, ::-1]
            roots.extend(float(r) for r in _half_roots(coef, half, bound, total))
    # A root within 1e-16 of -100 % rounds to -1.0; it is still a root above -1. Roots
    # closer than 1e-12 are one root seen from both halves (next to r = 0) or twice.
    out: list[float] = []
    for r in sorted(float(r) for r in roots if r >= -1):
        if not out or r - out[-1] > 1e-12 * max(1.0, abs(r)):
            out.append(r)
    return merge_multiple(row, out)
