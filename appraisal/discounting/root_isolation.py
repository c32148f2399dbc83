"""Isolating the roots of a half that may hold several (bound >= 2 in :mod:`root_bounds`).

Main tool: subdivision in the Bernstein basis. The Bernstein coefficients of F on an
interval bound its roots there by their sign changes (Descartes' rule in Bernstein form),
with the right parity; de Casteljau's algorithm splits an interval in ``O(periods**2)``
numerically stable steps. Intervals with no sign change are dropped, those with one hold
exactly one root, the others are split again, for all rows at once. Every coefficient
carries a bound on its rounding error, and a sign is used only where it is certain.

A row the subdivision cannot settle (a double root, roots closer than about ``1e-13``)
falls back to a scan and companion-matrix eigenvalues, polished by Newton
(:func:`half_roots_by_eigenvalues`): slower, one row at a time, and rare.
"""

from __future__ import annotations

import numpy as np

from appraisal.discounting.root_bounds import sign_changes
from appraisal.discounting.root_solve import solve_bracketed, value_and_slope

__all__ = ["SCAN", "bernstein", "half_roots_by_eigenvalues", "isolate"]

_EPS = np.finfo(float).eps
_MAX_DEPTH = 48
# Split a little off the middle, so that roots at simple fractions of an interval (a rate
# of 100 % or of -50 % is z = 1/2) do not fall on a split point, where F's sign cannot be
# certain; a split point that still does is moved to the second value.
_TAU = (0.4805, 0.5309)
# Scan grid of the eigenvalue fallback (uniform, plus both ends refined).
SCAN = np.unique(
    np.concatenate(
        [np.linspace(0.0, 1.0, 513)[1:], 2.0 ** -np.arange(10, 40), 1 - 2.0 ** -np.arange(10, 40)]
    )
)


def bernstein(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bernstein coefficients on [0, 1] of each row's ``sum a[j] z**j``, and error bounds.

    ``b[i] = sum_j C(i, j) / C(N, j) a[j]``: positive weights, so the rounding error is
    bounded by a multiple of the same sum over ``|a|``.

    Examples
    --------
    (1 - z)(1 - 2 z): its Bernstein coefficients change sign once, then end on a root:

    >>> bernstein(np.array([[1.0, -3.0, 2.0]]))[0].tolist()
    [[1.0, -0.5, 0.0]]
    """
    n = a.shape[1]
    lnfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n)))])
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    with np.errstate(invalid="ignore"):
        y = np.where(j <= i, lnfact[i] - lnfact[np.minimum(j, i)] - lnfact[np.abs(i - j)], 0.0)
        y = y - (lnfact[-1] - lnfact[j] - lnfact[n - 1 - j])
    w = np.where(j <= i, np.exp(y), 0.0)
    b = a @ w.T
    # exp(y) is off by about |y| eps; the product adds n eps.
    err = (4.0 * n + 4.0 * np.max(np.abs(y)) + 16.0) * _EPS * (np.abs(a) @ w.T)
    return b, err


def _split(b: np.ndarray, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """de Casteljau at ``tau`` (one per row): coefficients of the left and right parts."""
    n = b.shape[1]
    left, right = np.empty_like(b), np.empty_like(b)
    w, t = b, tau[:, None]
    left[:, 0], right[:, -1] = w[:, 0], w[:, -1]
    for k in range(1, n):
        w = (1.0 - t) * w[:, :-1] + t * w[:, 1:]
        left[:, k], right[:, n - 1 - k] = w[:, 0], w[:, -1]
    return left, right


def _split_all(b: np.ndarray, err: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split every row of coefficients: both parts stacked, their error bounds, and tau."""
    n = b.shape[1]
    tau = np.full(b.shape[0], _TAU[0])
    for attempt in range(len(_TAU)):
        (b_l, b_r), (e_l, e_r), (m_l, m_r) = (_split(v, tau) for v in (b, err, np.abs(b) + err))
        # Each weighted average adds at most eps of the magnitudes it averages.
        e_l += 2.0 * n * _EPS * m_l
        e_r += 2.0 * n * _EPS * m_r
        unsure = ~(np.abs(b_r[:, 0]) > e_r[:, 0])
        if not unsure.any() or attempt + 1 == len(_TAU):
            break
        tau[unsure] = _TAU[attempt + 1]
    return np.concatenate([b_l, b_r]), np.concatenate([e_l, e_r]), tau


def _certain_changes(b: np.ndarray, err: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sign changes of each row of coefficients, and whether every sign is certain."""
    sure = np.abs(b) > err
    return sign_changes(np.where(sure, np.sign(b), 0).astype(np.int64)), sure.all(axis=1)


def isolate(a: np.ndarray) -> tuple[np.ndarray, list[tuple[int, float, float, float]]]:
    """Roots z in (0, 1) of each row's ``sum a[j] z**j``: count and isolating intervals.

    Returns the number of roots per row (-1 where subdivision could not settle it) and,
    for settled rows, one ``(row, lo, hi, sign of F at lo)`` per root, so that
    :func:`appraisal.discounting.root_solve.solve_bracketed` can finish each.

    Examples
    --------
    (z - 0.25)(z - 0.6):

    >>> count, intervals = isolate(np.array([[0.15, -0.85, 1.0]]))
    >>> count.tolist(), [(lo, hi) for _, lo, hi, _ in intervals]
    ([2], [(0.0, 0.4805), (0.4805, 1.0)])
    """
    m, n = a.shape
    # Leading zeros are roots at z = 0, outside (0, 1): divide them out, row by row.
    shift = np.arange(n)[None, :] + np.argmax(a != 0, axis=1)[:, None]
    a = np.where(shift < n, np.take_along_axis(a, np.minimum(shift, n - 1), axis=1), 0.0)
    count = np.zeros(m, dtype=np.int64)
    failed = np.zeros(m, dtype=bool)
    b, err = bernstein(a)
    rows, lo, width = np.arange(m), np.zeros(m), np.ones(m)
    found: list[tuple[int, float, float, float]] = []
    for depth in range(_MAX_DEPTH + 1):
        changes, sure = _certain_changes(b, err)
        # The ends are values of F: a root on an end is not certain to be on either side.
        lost = ~(np.abs(b[:, 0]) > err[:, 0]) | ~(np.abs(b[:, -1]) > err[:, -1])
        one = sure & (changes == 1) & ~lost
        for r, x, w, s in zip(rows[one], lo[one], width[one], np.sign(b[one, 0]), strict=True):
            found.append((int(r), float(x), float(x + w), float(s)))
        np.add.at(count, rows[one], 1)
        failed[rows[lost]] = True
        more = ~lost & ((changes >= 2) | ~sure)
        if depth == _MAX_DEPTH:
            failed[rows[more]] = True
        if depth == _MAX_DEPTH or not more.any():
            break
        b, err, tau = _split_all(b[more], err[more])
        cut = tau * width[more]
        rows = np.concatenate([rows[more], rows[more]])
        lo = np.concatenate([lo[more], lo[more] + cut])
        width = np.concatenate([cut, width[more] - cut])
    count[failed] = -1
    return count, [f for f in found if not failed[f[0]]]


def _lead_sign(a: np.ndarray) -> np.ndarray:
    """Sign of F just above z = 0: the sign of the first non-zero coefficient."""
    return np.sign(a[np.arange(a.shape[0]), np.argmax(a != 0, axis=1)])


def _grid_signs(a: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Signs of F at z -> 0+ followed by its signs on ``grid`` (ascending, ending at 1)."""
    with np.errstate(under="ignore"):
        powers = grid[None, :] ** np.arange(a.shape[1])[:, None]
    return np.concatenate([_lead_sign(a)[:, None], np.sign(a @ powers)], axis=1)


def _polish(a: np.ndarray, z: float) -> float | None:
    """Newton from an eigenvalue estimate; the root if F vanishes there to rounding."""
    at = a[:, None]
    for _ in range(100):
        f, d = value_and_slope(at, np.array([z]))
        if f[0] == 0 or d[0] == 0:
            break
        z_new = z - f[0] / d[0]
        if not 0 < z_new <= 1.0 + 1e-9:
            return None
        if abs(z_new - z) <= 2 * _EPS * z:
            z = z_new
            break
        z = z_new
    scale = np.sum(np.abs(a) * z ** np.arange(a.size))
    f, _ = value_and_slope(at, np.array([z]))
    return z if abs(f[0]) <= 64 * a.size * _EPS * scale else None


def _eigen_roots(a: np.ndarray) -> list[float]:
    """Roots z in (0, 1] of ``sum a[k] z**k`` from the companion matrix, polished."""
    nz = np.flatnonzero(a)
    coef = a[nz[0] : nz[-1] + 1]
    if coef.size < 2:
        return []
    with np.errstate(all="ignore"):
        cand = np.roots(coef[::-1])
    cand = cand[np.isfinite(cand)]
    keep = (np.abs(cand.imag) <= 1e-5 * np.abs(cand)) & (cand.real > 0) & (cand.real < 1 + 1e-6)
    roots = (_polish(a, float(min(c.real, 1.0))) for c in cand[keep])
    return [z for z in roots if z is not None]


def half_roots_by_eigenvalues(a: np.ndarray, bound: int | None) -> list[float]:
    """Every root z in (0, 1) of one half (``bound`` None: unknown), by scan and eigenvalues.

    Sign changes on the scan grid give roots for sure; eigenvalues are consulted only when
    the grid cannot account for the bound (two roots within one grid step, a double root,
    or no trustworthy bound).

    Examples
    --------
    >>> [round(float(z), 12) for z in half_roots_by_eigenvalues(np.array([0.15, -0.85, 1.0]), 2)]
    [0.25, 0.6]
    """
    signs = _grid_signs(a[None, :], SCAN)[0]
    grid = np.concatenate([[0.0], SCAN])
    nz = np.flatnonzero(signs)
    k = np.flatnonzero(signs[nz[:-1]] != signs[nz[1:]])
    found: list[float] = []
    if k.size:
        lo, hi = grid[nz[k]], grid[nz[k + 1]]
        at = np.repeat(a[:, None], k.size, axis=1)
        found = list(solve_bracketed(at, lo, hi, 0.5 * (lo + hi), signs[nz[k]]))
    if bound is not None and len(found) == bound:
        return found
    for z in _eigen_roots(a):
        # z = 1 (r = 0) may come from either half; the caller merges the duplicates.
        if all(abs(z - w) > 1e-7 * w for w in found):
            found.append(min(z, 1.0))
    return found
