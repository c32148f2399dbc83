"""Solving for a root known to be alone in its half (see :mod:`.root_bounds`).

Two solvers, both vectorised over rows and both freezing a row once it has converged, so
a row's answer never depends on the other rows of its table:

- :func:`solve_simple`: Halley's iteration on ``P(x)`` in ``x = 1 / (1 + r)``, from the
  Halley step taken at ``r = 0`` (whose value and derivatives are plain weighted sums of
  the flows). Two steps settle nearly every row of usual flows to rounding; the rest get
  a few more, then the safeguarded solver.
- :func:`solve_bracketed`: Newton's method safeguarded by bisection (``rtsafe``) inside a
  bracket of the half's ``z`` in ``(0, 1]``, where no power overflows whatever the horizon
  or the rate; it always converges.
"""

from __future__ import annotations

import numpy as np

__all__ = ["solve_bracketed", "solve_simple", "solve_half", "to_rate", "value_and_slope"]

_EPS = np.finfo(float).eps
_MAXIT = 200
# A Newton step this small (relative) leaves an error of order its square: accept it.
_XTOL = 1e-9
# A Halley step this small leaves an error of order its cube.
_HALLEY_TOL = 1e-7
_HALLEY_STEPS = 3
_HALLEY_EXTRA = 8
_FEW = 4  # columns evaluated with Python floats rather than numpy vectors
# Starts for the bracketed solver: rates where IRRs usually lie, ascending in z.
_START_POS = 1.0 / (1.0 + np.array([9, 3, 1.5, 1, 0.7, 0.5, 0.35, 0.25, 0.16, 0.1, 0.06, 0.03, 0]))
_START_NEG = 1.0 + np.array([-0.95, -0.85, -0.7, -0.55, -0.4, -0.3, -0.2, -0.1, -0.05, 0.0])


def _horner_columns(at: np.ndarray, x: np.ndarray, order: int) -> list[np.ndarray]:
    """Horner on a few columns with Python floats: the same roundings as numpy's loop.

    One numpy call per period costs a microsecond whatever its size, so a single long
    series (hundreds of periods) is evaluated far faster this way, and to the same bits.
    """
    out = np.zeros((order + 1, at.shape[1]))
    for j, (col, z) in enumerate(zip(at.T.tolist(), x.tolist(), strict=True)):
        f, d, e = col[-1], 0.0, 0.0
        for a in reversed(col[:-1]):
            e = e * z + d
            d = d * z + f
            f = f * z + a
        out[:, j] = (f, d, e)[: order + 1]
    return list(out)


def value_and_slope(at: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value and derivative of ``sum at[k] * z**k`` for each column (powers along axis 0).

    Examples
    --------
    >>> [v.round(12).tolist() for v in value_and_slope(np.array([[-1.0], [1.1]]), np.array([0.5]))]
    [[-0.45], [1.1]]
    """
    if at.shape[1] <= _FEW:
        f, d = _horner_columns(at, z, 1)
        return f, d
    f = at[-1].copy()
    d = np.zeros_like(f)
    for k in range(at.shape[0] - 2, -1, -1):
        d *= z
        d += f
        f *= z
        f += at[k]
    return f, d


def _halley(at: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One Halley step on each column's ``P(x) = sum at[k] x**k``.

    Returns the new x and the size of the step (the larger of Halley's and Newton's).
    """
    if at.shape[1] <= _FEW:
        f, d, e = _horner_columns(at, x, 2)
    else:
        f = at[-1].copy()
        d = np.zeros_like(f)
        e = np.zeros_like(f)
        for k in range(at.shape[0] - 2, -1, -1):
            e *= x
            e += d
            d *= x
            d += f
            f *= x
            f += at[k]
    # e holds P'' / 2. Critical points of P are fixed points of Halley's iteration too
    # (repelling ones): a step is trusted only if Newton's step, f / d, is as small.
    dx = f * d / (d * d - f * e)
    return x - dx, np.maximum(np.abs(dx), np.abs(f / d))


def to_rate(z: np.ndarray, half: int) -> np.ndarray:
    """Rate from a half's ``z``: ``1 / z - 1`` for r >= 0, ``z - 1`` for r <= 0.

    Examples
    --------
    >>> z = np.array([0.8])
    >>> to_rate(z, 0).round(12).tolist(), to_rate(z, 1).round(12).tolist()
    ([0.25], [-0.2])
    """
    # 1 - z and z - 1 are exact for z in [0.5, 1], so small rates keep full precision.
    # A root z below 1e-308 (flows spanning 300 orders of magnitude) gives r = +inf.
    with np.errstate(over="ignore", divide="ignore"):
        return (1.0 - z) / z if half == 0 else z - 1.0


def solve_bracketed(
    at: np.ndarray, lo: np.ndarray, hi: np.ndarray, z: np.ndarray, s_lo: np.ndarray
) -> np.ndarray:
    """The root of each column's F inside its bracket ``(lo, hi)``, starting from ``z``.

    ``at`` holds coefficients by power along axis 0, one column per row; ``s_lo`` is the
    sign of F at ``lo``. A Newton step that leaves the bracket or does not halve the step
    before is replaced by bisection, so every row converges.

    Examples
    --------
    >>> one = np.array([1.0])
    >>> solve_bracketed(np.array([[-1.0], [1.1]]), 0 * one, one, one / 2, -one).round(12).tolist()
    [0.909090909091]
    """
    out = z.copy()
    rows = np.arange(at.shape[1])
    lo, hi, z = lo.copy(), hi.copy(), z.copy()
    dx_old = hi - lo
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(_MAXIT):
            f, d = value_and_slope(at, z)
            # F == 0 is not trusted as a root: next to z = 0 it is usually underflow of
            # z**k, whose true sign is the lower end's. An exact root still converges,
            # by the bracket closing on it.
            below = f * s_lo >= 0
            lo = np.where(below, z, lo)
            hi = np.where(below, hi, z)
            dx = f / d
            new = z - dx
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


def solve_half(at: np.ndarray, half: int, s_lo: np.ndarray) -> np.ndarray:
    """Rates of columns of ``at`` (flows by period) with exactly one root in ``half``.

    F on a few usual rates brackets the root; :func:`solve_bracketed` finishes. ``s_lo``
    is the sign of F next to z = 0 (the opposite of the total's).

    Examples
    --------
    >>> solve_half(np.array([[-100.0], [110.0]]), 0, np.array([-1.0])).round(12).tolist()
    [0.1]
    """
    coef = at if half == 0 else at[::-1]
    grid = _START_POS if half == 0 else _START_NEG
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        f = (grid[:, None] ** np.arange(coef.shape[0])[None, :]) @ coef
    past = f * s_lo[None, :] <= 0
    j = np.argmax(past, axis=0)  # first grid point at or past the root
    cols = np.arange(coef.shape[1])
    hi = grid[j]
    lo = np.where(j > 0, grid[np.maximum(j - 1, 0)], 0.0)
    # A column whose grid shows no crossing (rounding at z = 1) keeps the whole half.
    none = ~past[j, cols]
    lo[none], hi[none] = 0.0, 1.0
    z = solve_bracketed(np.ascontiguousarray(coef), lo, hi, 0.5 * (lo + hi), s_lo)
    return to_rate(z, half)


def solve_simple(
    at: np.ndarray,
    half: np.ndarray,
    total: np.ndarray,
    d1: np.ndarray,
    d2: np.ndarray,
    *,
    active: np.ndarray | None = None,
    sign_at_one: np.ndarray | None = None,
) -> np.ndarray:
    """Rates of columns of ``at`` (flows by period) with exactly one root, on side ``half``.

    ``half`` is 0 where the root is a rate above 0, 1 below; ``total``, ``d1``, ``d2`` are
    ``P(1)``, ``P'(1)``, ``P''(1)``. Halley's iteration on ``P(x)`` from the Halley step at
    ``x = 1``; a column that has not converged after a few steps, or has left its side,
    is solved by :func:`solve_half`. With ``active``, only those columns are solved
    (the others are computed along, being cheaper to carry than to copy out, and left
    unspecified). ``sign_at_one`` is the sign of ``P(1)`` when rounding could have
    flipped ``total``'s (it brackets the fallback's root).

    Examples
    --------
    >>> at, half, total = np.array([[-100.0], [110.0]]), np.array([0]), np.array([10.0])
    >>> solve_simple(at, half, total, np.array([110.0]), np.array([0.0])).round(12).tolist()
    [0.1]
    """
    below = half == 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        x = 1.0 - 2.0 * total * d1 / (2.0 * d1 * d1 - total * d2)
        fallback = np.where(below, 1.0 / 0.9, 1.0 / 1.1)
        x = np.where(np.isfinite(x) & ((x > 1.0) == below) & (x > 0), x, fallback)
        for _ in range(_HALLEY_STEPS):
            x, dx = _halley(at, x)
        ok = _settled(x, dx, below)
        rest = np.flatnonzero(~ok if active is None else active & ~ok)
        for _ in range(_HALLEY_EXTRA):
            if not rest.size:
                break
            x[rest], dx = _halley(np.ascontiguousarray(at[:, rest]), x[rest])
            done = _settled(x[rest], dx, below[rest])
            rest = rest[~done]
        rate = (1.0 - x) / x
    for h in (0, 1):
        idx = rest[half[rest] == h]
        if idx.size:
            sub = np.ascontiguousarray(at[:, idx])
            sign = np.sign(total[idx]) if sign_at_one is None else sign_at_one[idx]
            rate[idx] = solve_half(sub, h, -sign)
    return rate


def _settled(x: np.ndarray, step: np.ndarray, below: np.ndarray) -> np.ndarray:
    return (step <= _HALLEY_TOL * x) & ((x > 1.0) == below) & (x > 0) & np.isfinite(x)
