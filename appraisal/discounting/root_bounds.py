"""How many IRRs a row of flows can have on each side of 0 %: sign-change bounds.

The NPV of flows ``c[0..n-1]`` is the polynomial ``P(x) = sum c[t] x**t`` in
``x = 1 / (1 + r)``. The search for its roots is split at ``r = 0`` into two *halves*,
each a polynomial ``F`` on ``z`` in ``(0, 1]``:

- ``r >= 0``: ``z = x`` and coefficients ``c`` (``F(z) = P(z)``);
- ``r <= 0``: ``z = 1 + r = 1 / x`` and coefficients ``c`` reversed.

Descartes' rule applied to the power series ``F(z) / (1 - z)``, whose coefficients are the
cumulative sums of ``F``'s (then the total, for ever), bounds the roots in ``(0, 1)`` by
the sign changes of those sums (Norstrom's criterion for cash flows); the count of roots
has the bound's parity. A sum within rounding of zero puts the row *in doubt*: its sign
is then taken exactly (:func:`exact_bounds`) rather than guessed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["block_bounds", "bounds", "exact_bounds", "sign_changes", "sums_if_exact"]

_EPS = np.finfo(float).eps


def sign_changes(signs: np.ndarray) -> np.ndarray:
    """Sign changes along each row of an array of -1/0/+1, zeros skipped.

    Examples
    --------
    >>> sign_changes(np.array([[1, 0, -1, -1, 1]])).tolist()
    [2]
    """
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

    Descartes' rule for F(z) / (1 - z) (coefficients: the cumulative sums s[t], then
    s[-1] for ever) and, sharper, for F(z) / (1 - z)**2 (the sums of s, then a tail that
    ends with the sign of s[-1]). Exact zeros before the first non-zero flow are certain
    and skipped; any other sum within rounding of zero leaves the row in doubt.
    """
    n = a.shape[1]
    first = np.argmax(a != 0, axis=1)[:, None]
    col = np.arange(n)
    found, doubts = [], []
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
        found.append(sign_changes(sign))
        doubts.append(doubt)
    # The order-2 bound is used only where its own sums are trustworthy.
    bound = np.where(doubts[1], found[0], np.minimum(found[0], found[1]))
    return bound, doubts[0]


def bounds(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds on the roots for r > 0 and for r < 0 of each row, and which are in doubt.

    Examples
    --------
    >>> [b.tolist() for b in bounds(np.array([[-1.0, 0.5, 0.6]]))]
    [[1], [0], [False]]
    """
    b_pos, d_pos = _half_bound(a)
    b_neg, d_neg = _half_bound(a[:, ::-1])
    # Flows that never change sign have no root at all, whatever rounding does.
    same = np.all(a >= 0, axis=1) | np.all(a <= 0, axis=1)
    b_pos[same], b_neg[same] = 0, 0
    return b_pos, b_neg, (d_pos | d_neg) & ~same


def block_bounds(
    at: np.ndarray, work: tuple[np.ndarray, ...] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First-order bounds of a block in column layout ``(periods, rows)``, cheaply.

    Returns the sign changes of the cumulative sums for r > 0 and for r < 0, the rows in
    doubt, and each row's ``P(1)``, ``P'(1)`` and ``P''(1)`` (the total and two weighted
    sums, from the second and third cumulative sums). The sums of the r < 0 half (suffix
    sums) are ``total - prefix`` and need no second pass. Any sum within rounding of zero
    puts the row in doubt, exact zeros included (rows with leading or trailing zeros take
    the careful path of :func:`bounds`), and so does a scale far from 1, which would
    under- or overflow the solver's products.

    ``work`` holds one float and two boolean arrays of at least ``at``'s shape, reused
    from block to block: allocating megabytes afresh costs more than the arithmetic.

    Examples
    --------
    >>> b_pos, b_neg, doubt, total, d1, d2 = block_bounds(np.array([[-1.0], [0.5], [0.6]]))
    >>> b_pos.tolist(), b_neg.tolist(), doubt.tolist(), total.round(12).tolist()
    ([1], [0], [False], [0.1])
    """
    n, k = at.shape
    if work is None:
        work = (np.empty(at.shape), np.empty(at.shape, bool), np.empty(at.shape, bool))
    s, flag, diff = (w[:n, :k] for w in work)
    if k <= 64:  # few rows: numpy's own accumulation, in the same order as the loop
        np.cumsum(at, axis=0, out=s)
        s2 = np.cumsum(s, axis=0)
        s2_end = s2[-2] if n > 1 else np.zeros(k)
        s3_end = np.cumsum(s2, axis=0)[-3] if n > 2 else np.zeros(k)
    else:
        s[0] = at[0]
        s2, s3 = at[0].copy(), at[0].copy()
        s2_end = s3_end = np.zeros(k)
        for t in range(1, n):
            np.add(s[t - 1], at[t], out=s[t])
            if t == n - 1:
                s2_end = s2.copy()
            if t == n - 2:
                s3_end = s3.copy()
            s2 += s[t]
            s3 += s2
    total = s[-1].copy()
    big = float(n - 1)
    count = np.int16 if n < 2**15 else np.int64
    with np.errstate(over="ignore", invalid="ignore"):
        d1 = big * total - s2_end
        d2 = big * (big - 1.0) * total - (2.0 * big - 2.0) * s2_end + 2.0 * s3_end
        # Summing in order, each addition errs by at most eps / 2 of its result, so every
        # partial sum is within n eps / 2 of the largest one; the suffix sums total - s[t]
        # add the errors of both terms.
        peak = np.maximum(np.maximum.reduce(s, axis=0), -np.minimum.reduce(s, axis=0))
        tol = 4.0 * n * _EPS * peak
        np.greater(s, tol, out=flag)
        np.less(s, -tol, out=diff)
        np.logical_or(diff, flag, out=diff)
        sure = np.logical_and.reduce(diff, axis=0)
        np.not_equal(flag[1:], flag[:-1], out=diff[1:])
        b_pos = np.add.reduce(diff[1:], axis=0, dtype=count)
        if n > 1:
            # Suffix sums: total, then total - s[t] for t < n - 1.
            np.less(s[:-1], total - tol, out=flag[:-1])
            np.greater(s[:-1], total + tol, out=diff[:-1])
            np.logical_or(diff[:-1], flag[:-1], out=diff[:-1])
            sure &= np.logical_and.reduce(diff[:-1], axis=0)
            b_neg = (flag[0] != (total > 0)).astype(count)
            np.not_equal(flag[1:-1], flag[:-2], out=diff[1:-1])
            b_neg += np.add.reduce(diff[1:-1], axis=0, dtype=count)
        else:
            b_neg = np.zeros(k, dtype=count)
        padded = np.flatnonzero(~sure & ((at[0] == 0) | (at[-1] == 0)))
        if padded.size and n > 1:
            b_pos[padded], b_neg[padded], sure[padded] = _padded_bounds(
                s[:, padded], at[:, padded], tol[padded], count
            )
        doubt = ~sure | ~((peak > 1e-100) & (peak < 1e100))
    return b_pos, b_neg, doubt, total, d1, d2


def _padded_bounds(
    s: np.ndarray, at: np.ndarray, tol: np.ndarray, count: type
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`block_bounds` for rows with leading or trailing zero flows.

    Their prefix sums before the first non-zero flow, and their suffix sums after the
    last, are exact zeros: powers of z dividing F, not roots in (0, 1). They are skipped,
    taking the sign of the first (last) sum that is not, rather than put in doubt.
    """
    n = s.shape[0]
    t = np.arange(n)[:, None]
    nz = at != 0
    first = np.argmax(nz, axis=0)
    last = n - 1 - np.argmax(nz[::-1], axis=0)
    cols = np.arange(s.shape[1])
    total = s[-1]
    pos = np.where(t < first, s[first, cols] > tol, s > tol)
    sure = np.all((s > tol) | (s < -tol) | (t < first), axis=0)
    b_pos = np.add.reduce(pos[1:] != pos[:-1], axis=0, dtype=count)
    # Suffix sums total - s[t] for t < n - 1; zero for t >= last.
    d = s[:-1]
    keep = np.maximum(last - 1, 0)
    edge = np.where(last > 0, d[keep, cols] < total - tol, total > 0)
    neg = np.where(t[:-1] >= last, edge, d < total - tol)
    sure &= np.all((d < total - tol) | (d > total + tol) | (t[:-1] >= last), axis=0)
    b_neg = (neg[0] != (total > 0)).astype(count)
    b_neg += np.add.reduce(neg[1:] != neg[:-1], axis=0, dtype=count)
    return b_pos, b_neg, sure


def _exact_signs(values: list[float]) -> list[int]:
    """Exact signs of the running sums of ``values`` (Shewchuk's non-overlapping partials).

    The partials of each running sum are non-overlapping and ascending in magnitude, so
    the sign of the largest non-zero one is the sign of the exact sum.
    """
    partials: list[float] = []
    out = []
    for v in values:
        x, i = v, 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]
        top = next((p for p in reversed(partials) if p), 0.0)
        out.append((top > 0) - (top < 0))
    return out


def exact_bounds(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`bounds` from the exact signs of the cumulative sums, for rows in doubt.

    Where no addition rounds (round-number flows, whose sums are often exactly zero) the
    floating-point sums are exact and used as they are, for all rows at once; the others
    cost ``O(periods)`` Python steps each. Returns the bounds for r > 0 and r < 0 and the
    exact sign of each row's total (0: ``r = 0`` is a root).

    Examples
    --------
    0.1 + 0.2 - 0.3 is positive, exactly as in floating point:

    >>> [v.tolist() for v in exact_bounds(np.array([[0.1, 0.2, -0.3]]))]
    [[0], [1], [1.0]]
    """
    m = a.shape[0]
    b_pos, b_neg = np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.int64)
    total = np.zeros(m)
    (pos, pos_ok), (neg, neg_ok) = sums_if_exact(a), sums_if_exact(a[:, ::-1])
    ok = pos_ok & neg_ok
    b_pos[ok] = sign_changes(np.sign(pos[ok]).astype(np.int64))
    b_neg[ok] = sign_changes(np.sign(neg[ok]).astype(np.int64))
    total[ok] = np.sign(pos[ok, -1])
    for i in np.flatnonzero(~ok):
        row = a[i].tolist()
        signs = _exact_signs(row)
        b_pos[i] = sign_changes(np.array([signs]))[0]
        b_neg[i] = sign_changes(np.array([_exact_signs(row[::-1])]))[0]
        total[i] = signs[-1]
    return b_pos, b_neg, total


def sums_if_exact(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Running sums along each row, and whether every addition was exact.

    Knuth's TwoSum gives the rounding error of each addition exactly; where all are zero
    the sums are the exact ones, zeros included.

    Examples
    --------
    >>> sums_if_exact(np.array([[1.0, 2.0, -3.0], [0.1, 0.2, -0.3]]))[1].tolist()
    [True, False]
    """
    out = np.empty_like(a)
    s = out[:, 0] = a[:, 0]
    exact = np.ones(a.shape[0], dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, a.shape[1]):
            x = a[:, t]
            hi = s + x
            back = hi - s
            exact &= (s - (hi - back)) + (x - back) == 0
            s = out[:, t] = hi
    return out, exact
