"""Real roots of cash-flow polynomials: the engine behind ``irr``, ``irr_all`` and ``irr_many``.

The NPV of flows ``c[0..n-1]`` at rate ``r`` is the polynomial ``P(x) = sum c[t] x**t`` in
``x = 1 / (1 + r)``; every IRR above -100 % is a root ``x > 0``. The search is split at
``r = 0`` into two *halves*, each a polynomial on ``z`` in ``(0, 1]`` so no power ever
overflows, however long the horizon or close the rate to -100 %:

- ``r >= 0``: ``z = x`` and coefficients ``c`` (``F(z) = P(z)``);
- ``r <= 0``: ``z = 1 + r = 1 / x`` and coefficients ``c`` reversed (``F(z) = z**(n-1) P(1/z)``).

In each half the number of roots is bounded by the sign changes of the *cumulative* sums of
the coefficients (Descartes' rule applied to ``F(z) / (1 - z)``, Norstrom's criterion for
cash flows), which is exact far more often than the plain sign-change count. A half whose
bound is 1 holds exactly one root, found by a vectorised safeguarded Newton iteration inside
a bracket; a half with a larger bound is scanned on a fixed grid and, only when the grid
cannot account for every possible root, checked by companion-matrix eigenvalues polished by
Newton. All functions take rows normalised by :func:`normalise_rows`, so scaling the flows
changes nothing.
"""

from __future__ import annotations

import numpy as np

__all__ = ["normalise_rows", "irr_rows", "real_irrs"]

_EPS = np.finfo(float).eps
_MAXIT = 200
# A Newton step this small (relative) leaves an error of order its square: accept it.
_XTOL = 1e-9
_FAST_STEPS = 6  # plain Newton steps before a row falls back to the safeguarded solver
_CHUNK = 8192  # rows per block of the fast path: its vectors then stay in the CPU cache
# Start grids for the one-root halves, ascending and ending at z = 1 (r = 0): rates where
# IRRs usually lie, so that Newton starts a few digits from the root.
_START_POS = 1.0 / (
    1.0
    + np.array(
        [9, 3, 1.5, 1, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.16, 0.13]
        + [0.1, 0.08, 0.06, 0.045, 0.03, 0.02, 0.01, 0.0]
    )
)
_START_NEG = 1.0 + np.array(
    [-0.95, -0.85, -0.7, -0.55, -0.4, -0.3, -0.2, -0.15, -0.1, -0.07] + [-0.05, -0.03, -0.015, 0.0]
)
# Scan grid for halves that may hold several roots (uniform, plus both ends refined).
_SCAN = np.unique(
    np.concatenate(
        [np.linspace(0.0, 1.0, 513)[1:], 2.0 ** -np.arange(10, 40), 1 - 2.0 ** -np.arange(10, 40)]
    )
)


def normalise_rows(flows: np.ndarray) -> np.ndarray:
    """Scale each row by a power of two so its largest magnitude lies in [0.5, 1).

    Powers of two scale exactly, so the roots of a row do not depend on its units.
    """
    peak = np.max(np.abs(flows), axis=1)
    _, exponent = np.frexp(np.where(peak > 0, peak, 1.0))
    return np.ldexp(flows, -exponent[:, None])


def _sign_changes(signs: np.ndarray) -> np.ndarray:
    """Sign changes along each row of an array of -1/0/+1, zeros skipped."""
    out = np.count_nonzero(signs[:, 1:] != signs[:, :-1], axis=1)
    holes = np.flatnonzero(np.any(signs == 0, axis=1))
    if holes.size:
        s = signs[holes]
        col = np.arange(s.shape[1])
        last = np.maximum.accumulate(np.where(s != 0, col, -1), axis=1)
        prev = np.concatenate([np.full((s.shape[0], 1), -1), last[:, :-1]], axis=1)
        prev_sign = np.take_along_axis(s, np.maximum(prev, 0), axis=1)
        out[holes] = np.count_nonzero((s != 0) & (prev >= 0) & (s != prev_sign), axis=1)
    return out


def _half_bound(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bound on the roots z in (0, 1) of each row's F, and which rows are in doubt.

    Descartes' rule for the power series F(z) / (1 - z) (coefficients: the cumulative sums
    s[t], then s[-1] for ever) and, sharper, for F(z) / (1 - z)**2 (the sums of s, then
    a tail that ends with the sign of s[-1]). Exact zeros before the first non-zero flow
    are certain and skipped; any other sum within rounding of zero leaves the row in doubt.
    """
    n = a.shape[1]
    first = np.argmax(a != 0, axis=1)[:, None]
    col = np.arange(n)
    bounds, doubts = [], []
    s, mag = a, np.abs(a)
    for order in (1, 2):
        # A partial sum of order k carries a rounding error below k n eps times the
        # same sum taken over magnitudes.
        s, mag = np.cumsum(s, axis=1), np.cumsum(mag, axis=1)
        tol = 8.0 * n * _EPS * mag
        sign = np.where(s > tol, 1, np.where(s < -tol, -1, 0))
        doubt = np.any((sign == 0) & (col >= first), axis=1)
        if order == 2:
            sign = np.concatenate([sign, np.sign(a.sum(axis=1, keepdims=True))], axis=1)
        bounds.append(_sign_changes(sign))
        doubts.append(doubt)
    # The order-2 bound is used only where its own sums are trustworthy.
    bound = np.where(doubts[1], bounds[0], np.minimum(bounds[0], bounds[1]))
    return bound, doubts[0]


def _bounds(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_half_bound` for both halves: bounds for r > 0, for r < 0, and doubt."""
    b_pos, d_pos = _half_bound(a)
    b_neg, d_neg = _half_bound(a[:, ::-1])
    # Flows that never change sign have no root at all, whatever rounding does.
    same = np.all(a >= 0, axis=1) | np.all(a <= 0, axis=1)
    b_pos[same], b_neg[same] = 0, 0
    return b_pos, b_neg, (d_pos | d_neg) & ~same


def _fast_bounds(at: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_bounds` for a block in column layout ``(periods, rows)``, cache-friendly.

    Any partial sum within rounding of zero puts the row in doubt, exact zeros included
    (rows with leading or trailing zero flows then take the careful path of
    :func:`_bounds`). Also returns each row's total, the sign of F at z = 1.
    """
    n, k = at.shape
    buf = np.empty(k)
    absum = np.abs(at[0])
    for row in at[1:]:
        absum += np.abs(row, out=buf)
    tol = 4.0 * n * _EPS * absum
    out = []
    for coef in (at, at[::-1]):
        s = coef[0].copy()
        low = np.abs(s)
        p_prev = s > 0
        p = np.empty(k, dtype=bool)
        flip = np.empty(k, dtype=bool)
        changes = np.zeros(k, dtype=np.int16)
        for row in coef[1:]:
            s += row
            np.greater(s, 0, out=p)
            np.not_equal(p, p_prev, out=flip)
            changes += flip
            np.minimum(low, np.abs(s, out=buf), out=low)
            p, p_prev = p_prev, p
        out.append((changes, low))
    (b_pos, low_pos), (b_neg, low_neg) = out
    doubt = (low_pos <= tol) | (low_neg <= tol) | ~np.isfinite(tol)
    return b_pos, b_neg, doubt, s


def _horner(at: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value and derivative of ``sum at[k] * z**k`` (coefficients along axis 0)."""
    f = at[-1].copy()
    d = np.zeros_like(f)
    for k in range(at.shape[0] - 2, -1, -1):
        d *= z
        d += f
        f *= z
        f += at[k]
    return f, d


def _lead_sign(a: np.ndarray) -> np.ndarray:
    """Sign of F just above z = 0: the sign of the first non-zero coefficient."""
    return np.sign(a[np.arange(a.shape[0]), np.argmax(a != 0, axis=1)])


def _solve(
    at: np.ndarray, lo: np.ndarray, hi: np.ndarray, z: np.ndarray, s_lo: np.ndarray
) -> np.ndarray:
    """The root of each column's F inside its bracket ``(lo, hi)``, starting from ``z``.

    ``at`` holds coefficients by power along axis 0, one column per row; ``s_lo`` is the
    sign of F at ``lo``. Newton steps safeguarded by bisection (``rtsafe``): a step that
    leaves the bracket or does not halve the step before is replaced by bisection, so
    every row converges. Rows are frozen once converged, so a row's answer never depends
    on the other rows.
    """
    out = z.copy()
    rows = np.arange(at.shape[1])
    lo, hi, z = lo.copy(), hi.copy(), z.copy()
    dx_old = hi - lo
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(_MAXIT):
            f, d = _horner(at, z)
            # F == 0 is not trusted as a root: next to z = 0 it is usually underflow of
            # z**k, whose true sign is the lower end's. An exact root still converges,
            # by the bracket closing on it.
            below = f * s_lo >= 0
            lo = np.where(below, z, lo)
            hi = np.where(below, hi, z)
            dx = f / d
            new = z - dx
            # Near a simple root the error after a Newton step is of order dx**2.
            small = (np.abs(dx) <= _XTOL * z) & (f != 0)
            bisect = ~((new > lo) & (new < hi)) | (np.abs(2.0 * dx) > np.abs(dx_old))
            # Bisect geometrically while the bracket spans orders of magnitude, so roots
            # next to z = 0 (rates near -100 % or huge ones) take tens of steps, not 1000.
            mid = np.where(hi > 4 * lo, np.sqrt(np.maximum(lo, 1e-300) * hi), 0.5 * (lo + hi))
            new = np.where(bisect & ~small, mid, new)
            dx_old = np.where(bisect, 0.5 * (hi - lo), dx)
            done = small | (hi - lo <= 4 * _EPS * hi)
            out[rows[done]] = np.clip(new[done], lo[done], hi[done])
            if done.all():
                return out
            keep = ~done
            z = new[keep]
            lo, hi, dx_old, s_lo, rows = lo[keep], hi[keep], dx_old[keep], s_lo[keep], rows[keep]
            at = at[:, keep]
    out[rows] = 0.5 * (lo + hi)
    return out


def _powers(grid: np.ndarray, n: int, half: int) -> np.ndarray:
    """Matrix ``(n, len(grid))`` turning a row of flows into F of a half on ``grid``."""
    k = np.arange(n) if half == 0 else np.arange(n - 1, -1, -1)
    return grid[None, :] ** k[:, None]


def _start(
    rows: np.ndarray, half: int, s_lo: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bracket and start for rows (flows, C order) with exactly one root in a half.

    F on a grid of usual rates (one matrix product) gives the grid cell holding the root;
    inverse quadratic interpolation through three grid points starts Newton some five
    digits from the root, false position when that leaves the cell.
    """
    grid = _START_POS if half == 0 else _START_NEG
    f = rows @ _powers(grid, rows.shape[1], half)
    past = f * s_lo[:, None] <= 0
    j = np.argmax(past, axis=1)  # first grid point at or past the root
    r = np.arange(rows.shape[0])
    jm = np.maximum(j - 1, 0)
    hi, f_hi = grid[j], f[r, j]
    lo = np.where(j > 0, grid[jm], 0.0)
    f_lo = f[r, jm]
    k = np.where(j + 1 < grid.size, j + 1, np.maximum(j - 2, 0))  # a third point
    z3, f3 = grid[k], f[r, k]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = (
            lo * f_hi * f3 / ((f_lo - f_hi) * (f_lo - f3))
            + hi * f_lo * f3 / ((f_hi - f_lo) * (f_hi - f3))
            + z3 * f_lo * f_hi / ((f3 - f_lo) * (f3 - f_hi))
        )
        secant = lo - f_lo * (hi - lo) / (f_hi - f_lo)
    z = np.where((z > lo) & (z < hi), z, secant)
    z = np.where((j > 0) & (k != j) & (z > lo) & (z < hi), z, 0.5 * (lo + hi))
    # A row whose grid shows no crossing (rounding at z = 1) keeps the whole half.
    none = ~past[r, j]
    lo[none], hi[none], z[none] = 0.0, 1.0, 0.5
    return lo, hi, z


def _solve_one(
    rows: np.ndarray,
    half: int,
    s_lo: np.ndarray,
    at: np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """The rate of rows (flows, C order) known to have exactly one root, in ``half``.

    ``at`` is the half's coefficients in column layout when the caller already has them;
    ``mask`` limits the work to some rows (the others get NaN) without copying the rest.
    Plain Newton from the interpolated start settles nearly every row in two or three
    steps; a row that leaves its bracket or has not converged after a few steps is
    solved again by the safeguarded iteration of :func:`_solve`. Either way a converged
    row is frozen, so its answer never depends on the other rows.
    """
    lo, hi, z = _start(rows, half, s_lo)
    if at is None:
        at = np.ascontiguousarray(rows.T if half == 0 else rows[:, ::-1].T)
    active = np.ones(z.size, dtype=bool) if mask is None else mask.copy()
    ok = np.zeros(z.size, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(_FAST_STEPS):
            f, d = _horner(at, z)
            dx = f / d
            new = z - np.where(active, dx, 0.0)
            converged = active & (np.abs(dx) <= _XTOL * z) & (f != 0)
            lost = active & ~((new > lo) & (new < hi))
            z = np.where(lost, z, new)
            ok |= converged & ~lost
            active &= ~(converged | lost)
            if not active.any():
                break
    redo = np.flatnonzero(~ok if mask is None else mask & ~ok)
    if redo.size:
        z0 = _start(rows[redo], half, s_lo[redo])
        z[redo] = _solve(np.ascontiguousarray(at[:, redo]), *z0, s_lo[redo])
    out = _to_rate(z, half)
    if mask is not None:
        out[~mask] = np.nan
    return out


def _grid_signs(a: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Signs of F at z -> 0+ followed by its signs on ``grid`` (ascending, ending at 1)."""
    powers = _powers(grid, a.shape[1], 0)
    return np.concatenate([_lead_sign(a)[:, None], np.sign(a @ powers)], axis=1)


def _to_rate(z: np.ndarray, half: int) -> np.ndarray:
    # 1 - z and z - 1 are exact for z in [0.5, 1], so small rates keep full precision.
    # A root z below 1e-308 (flows spanning 300 orders of magnitude) gives r = +inf.
    with np.errstate(over="ignore", divide="ignore"):
        return (1.0 - z) / z if half == 0 else z - 1.0


def _halves(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return a, a[:, ::-1]


def irr_rows(flows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The single IRR of each row of finite flows, NaN where a row has none or several.

    Returns the rates and the number of roots found per row (0, 1, or 2 meaning "two or
    more"; -1 for a row of zeros). Most rows are settled block by block by the cumulative
    sign-change bounds and one vectorised Newton solve; the others go through the careful
    bounds, a grid scan, and at worst :func:`real_irrs`.
    """
    m, n = flows.shape
    rate = np.full(m, np.nan)
    count = np.zeros(m, dtype=np.int64)
    unsure = np.zeros(m, dtype=bool)
    for i in range(0, m, _CHUNK):
        blk = flows[i : i + _CHUNK]
        at = np.ascontiguousarray(blk.T)
        b_pos, b_neg, doubt, total = _fast_bounds(at)
        unsure[i : i + _CHUNK] = doubt | (b_pos + b_neg >= 2)
        one = ~doubt & (b_pos + b_neg == 1)
        count[i : i + _CHUNK][one] = 1
        s_lo = -np.sign(total)
        for half, b in enumerate((b_pos, b_neg)):
            mask = one & (b == 1)
            sel = np.flatnonzero(mask)
            if 2 * sel.size > mask.size:  # most rows: solve in place, no copies
                rate[i + sel] = _solve_one(blk, half, s_lo, at if half == 0 else None, mask)[sel]
            elif sel.size:
                rate[i + sel] = _solve_one(blk[sel], half, s_lo[sel])
    idx = np.flatnonzero(unsure)
    if idx.size:
        rate[idx], count[idx] = _settle(normalise_rows(flows[idx]))
    return rate, count


def _settle(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`irr_rows` for normalised rows the fast bounds left open."""
    m = a.shape[0]
    rate = np.full(m, np.nan)
    count = np.zeros(m, dtype=np.int64)
    zero = ~np.any(a != 0, axis=1)
    count[zero] = -1
    b_pos, b_neg, doubt = _bounds(a)
    settled = ~doubt & ~zero
    total = np.sum(a, axis=1)
    for half, b in enumerate((b_pos, b_neg)):
        sel = np.flatnonzero(settled & (b == 1) & (b_pos + b_neg == 1))
        if sel.size:
            rate[sel] = _solve_one(a[sel], half, -np.sign(total[sel]))
            count[sel] = 1
    many = settled & (b_pos + b_neg >= 2)
    if many.any():
        found = np.zeros(m, dtype=np.int64)
        exact = many.copy()
        for b, coef in zip((b_pos, b_neg), _halves(a), strict=True):
            k = np.zeros(m, dtype=np.int64)
            scan = many & (b >= 2)
            if scan.any():
                k[scan] = _sign_changes(_grid_signs(coef[scan], _SCAN))
            k[many & (b == 1)] = 1
            found += k
            exact &= (b < 2) | (k == b)
        count[many & (found >= 2)] = 2
        settled &= ~(many & (found < 2) & ~exact)
    for i in np.flatnonzero(~settled & ~zero):
        roots = real_irrs(a[i])
        count[i] = min(len(roots), 2)
        if len(roots) == 1:
            rate[i] = roots[0]
    return rate, count


def _polish(a: np.ndarray, z: float) -> float | None:
    """Newton from an eigenvalue estimate; the root if F vanishes there to rounding."""
    at = a[:, None]
    for _ in range(100):
        f, d = _horner(at, np.array([z]))
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
    f, _ = _horner(at, np.array([z]))
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


def _half_roots(a: np.ndarray, bound: int | None) -> list[float]:
    """Every root z in (0, 1) of one half that may hold several (``bound`` None: unknown).

    Sign changes on the scan grid give roots for sure; eigenvalues are consulted only when
    the grid cannot account for the bound (two roots within one grid step, a double root,
    or no trustworthy bound).
    """
    signs = _grid_signs(a[None, :], _SCAN)[0]
    grid = np.concatenate([[0.0], _SCAN])
    nz = np.flatnonzero(signs)
    k = np.flatnonzero(signs[nz[:-1]] != signs[nz[1:]])
    found: list[float] = []
    if k.size:
        lo, hi = grid[nz[k]], grid[nz[k + 1]]
        at = np.repeat(a[:, None], k.size, axis=1)
        found = list(_solve(at, lo, hi, 0.5 * (lo + hi), signs[nz[k]]))
    if bound is not None and len(found) == bound:
        return found
    for z in _eigen_roots(a):
        # z = 1 (r = 0) may come from either half; the caller merges the duplicates.
        if all(abs(z - w) > 1e-7 * w for w in found):
            found.append(min(z, 1.0))
    return found


def real_irrs(c: np.ndarray) -> list[float]:
    """Every real IRR above -1 of one row of flows, ascending; empty when there is none.

    The caller rejects a row of zeros beforehand (every rate is then a root).
    """
    a = normalise_rows(np.asarray(c, dtype=float)[None, :])
    roots: list[float] = []
    s = np.cumsum(a[0])
    while a.shape[1] > 1 and s[-1] == 0 and np.any(a):
        # F(1) = 0 exactly: r = 0 is a root; divide it out, P(x) = (1 - x) sum s[t] x**t.
        roots.append(0.0)
        a = normalise_rows(s[None, :-1])
        s = np.cumsum(a[0])
    if a.shape[1] > 1 and np.any(a):
        b_pos, b_neg, doubt = _bounds(a)
        for half, (b, coef) in enumerate(zip((b_pos, b_neg), _halves(a), strict=True)):
            if doubt[0]:
                zs = _half_roots(coef[0], None)
            elif b[0] == 0:
                zs = []
            elif b[0] == 1:
                zs = list(_solve_one(a, half, -np.sign(s[-1:])))
                roots.extend(zs)
                continue
            else:
                zs = _half_roots(coef[0], int(b[0]))
            roots.extend(float(r) for r in _to_rate(np.array(zs, dtype=float), half))
    # A root within 1e-16 of -100 % rounds to -1.0; it is still a root above -1. Roots
    # closer than 1e-12 are one root seen from both halves (next to r = 0) or twice.
    out: list[float] = []
    for r in sorted(float(r) for r in roots if r >= -1):
        if not out or r - out[-1] > 1e-12 * max(1.0, abs(r)):
            out.append(r)
    return out


def _exp_half_roots(c: np.ndarray, e: np.ndarray) -> list[float]:
    """Roots z in (0, 1) of ``sum c[i] z**e[i]`` (``e`` ascending, from 0).

    Laguerre's rule (sign changes of the cumulative sums) bounds the count; a dense scan
    brackets the sign changes and Brent's method solves each bracket. Where the bound
    leaves room for more roots, near-touching minima of ``|F|`` on the scan are added
    when F vanishes there to rounding (double roots).
    """
    from scipy.optimize import brentq

    s = np.cumsum(c)
    absum = np.sum(np.abs(c))
    tol = 8.0 * c.size * _EPS * absum
    sig = np.where(s > tol, 1, np.where(s < -tol, -1, 0))
    bound = int(_sign_changes(sig[None, :])[0]) if np.all(sig != 0) else None
    if bound == 0:
        return []
    grid = np.unique(np.concatenate([np.linspace(0, 1, 4097)[1:-1], _SCAN[:-1]]))

    def f(z: float) -> float:
        return float(np.dot(c, z**e))

    with np.errstate(under="ignore"):
        vals = (grid[:, None] ** e[None, :]) @ c
    signs = np.concatenate([[np.sign(c[np.flatnonzero(c)[0]])], np.sign(vals)])
    pts = np.concatenate([[0.0], grid])
    nz = np.flatnonzero(signs)
    k = np.flatnonzero(signs[nz[:-1]] != signs[nz[1:]])
    roots = [pts[i] for i in nz[1:] if vals[i - 1] == 0]
    for j in k:
        lo, hi = pts[nz[j]], pts[nz[j + 1]]
        if lo > 0 and vals[nz[j] - 1] == 0:
            continue
        roots.append(brentq(f, lo, hi, xtol=1e-300, rtol=4 * _EPS, maxiter=500))
    if bound is not None and len(roots) >= bound:
        return sorted(roots)
    mag = np.abs(vals)
    scale = (grid[:, None] ** e[None, :]) @ np.abs(c)
    for i in np.flatnonzero((mag[1:-1] < mag[:-2]) & (mag[1:-1] < mag[2:])) + 1:
        from scipy.optimize import minimize_scalar

        res = minimize_scalar(
            lambda z: abs(f(z)),
            bounds=(grid[i - 1], grid[i + 1]),
            method="bounded",
            options={"xatol": 1e-14},
        )
        z = float(res.x)
        if abs(f(z)) <= 64 * c.size * _EPS * float(scale[i]) and all(
            abs(z - w) > 1e-7 for w in roots
        ):
            roots.append(z)
    return sorted(roots)


def real_xirrs(c: np.ndarray, t: np.ndarray) -> list[float]:
    """Every real root r > -1 of ``sum c[i] (1 + r) ** -t[i]`` (``t >= 0`` in years).

    Flows on the same date are merged first. The same two halves as for the
    polynomial case: ``z = 1 / (1 + r)`` for r >= 0 and ``z = 1 + r`` for r <= 0.
    """
    ut, inv = np.unique(t, return_inverse=True)
    cc = np.bincount(inv, weights=c)
    keep = cc != 0
    ut, cc = ut[keep], cc[keep]
    if cc.size < 2:
        return []
    cc = normalise_rows(cc[None, :])[0]
    roots = [0.0] if np.sum(cc) == 0 else []
    big = ut[-1]
    for half, (coef, e) in enumerate(((cc, ut - ut[0]), (cc[::-1], (big - ut)[::-1]))):
        zs = _exp_half_roots(coef, e)
        roots.extend(float(r) for r in _to_rate(np.array(zs, dtype=float), half))
    return sorted({r for r in roots if r >= -1})
