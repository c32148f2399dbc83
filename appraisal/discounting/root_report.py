"""How the IRRs of a series are reported: distinct rates within a plausible window.

A root found twice or three times (a double or triple root, seen by the solvers as a
cluster of nearly equal rates) is one IRR: clusters are merged and, for polynomials,
polished on the derivative that has a simple root there (:func:`merge_multiple`).
Rates below -99 % or above 1,000 % are no rate an appraisal can use (a root at
1e167 % comes from flows a day apart, one next to -100 % from a tiny flow at the end):
they are counted, not listed (:func:`report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.polynomial import polynomial as poly

__all__ = ["LOWEST", "HIGHEST", "RootReport", "merge_multiple", "report"]

#: The window of rates reported as IRRs: -99 % to 1,000 %.
LOWEST, HIGHEST = -0.99, 10.0
# Roots whose 1 + r differ by less than this share are candidates for one multiple
# root: a triple root computed in double precision spreads by about eps ** (1/3).
_CLUSTER = 1e-3
_EPS = np.finfo(float).eps


@dataclass(frozen=True)
class RootReport:
    """Distinct IRRs within the window (ascending) and how many lie outside it."""

    roots: list[float]
    below: int = 0
    above: int = 0

    @property
    def total(self) -> int:
        return len(self.roots) + self.below + self.above

    def describe(self, what: str = "IRR") -> str:
        """E.g. ``"2 IRRs: 10 %, 20 %"`` or ``"1 IRR: 10 %; 1 below -99 %"``."""
        shown = ", ".join(f"{r:.6g}" if abs(r) < 1e-4 else f"{100 * r:.6g} %" for r in self.roots)
        head = (
            f"{len(self.roots)} {what}{'s' if len(self.roots) != 1 else ''} within -99 %..1,000 %"
        )
        parts = [f"{head}: {shown}" if self.roots else head]
        if self.below:
            parts.append(f"{self.below} below -99 %")
        if self.above:
            parts.append(f"{self.above} above 1,000 %")
        return "; ".join(parts)


def report(roots: Sequence[float]) -> RootReport:
    """Split distinct finite roots above -100 % into those within the window and counts.

    Examples
    --------
    >>> report([-0.995, 0.1, 0.2, 25.0])
    RootReport(roots=[0.1, 0.2], below=1, above=1)
    """
    finite = [float(r) for r in roots if np.isfinite(r) and r > -1]
    return RootReport(
        roots=[r for r in finite if LOWEST <= r <= HIGHEST],
        below=sum(r < LOWEST for r in finite),
        above=sum(r > HIGHEST for r in finite),
    )


def _clusters(roots: list[float]) -> list[list[float]]:
    out: list[list[float]] = []
    for r in sorted(roots):
        if out and (1.0 + r) <= (1.0 + out[-1][-1]) * (1.0 + _CLUSTER):
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _polish(a: np.ndarray, k: int, x: float) -> float | None:
    """Newton on the (k - 1)-th derivative of ``sum a[t] x**t``, where a root of order k
    is simple; the root if the polynomial itself vanishes there to rounding."""
    d = poly.polyder(a, k - 1)
    dd = poly.polyder(d)
    with np.errstate(all="ignore"):
        for _ in range(60):
            f, s = poly.polyval(x, d), poly.polyval(x, dd)
            if not (np.isfinite(f) and np.isfinite(s)) or s == 0:
                return None
            step = f / s
            x -= step
            if abs(step) <= 4 * _EPS * abs(x):
                break
        value = poly.polyval(x, a)
        scale = poly.polyval(abs(x), np.abs(a))
    if not (np.isfinite(value) and np.isfinite(scale)) or x <= 0:
        return None
    return x if abs(value) <= 1e3 * a.size * _EPS * scale else None


def merge_multiple(a: np.ndarray, roots: list[float]) -> list[float]:
    """Roots of ``sum a[t] x**t`` (x = 1 / (1 + r)) with clusters merged into one root.

    A cluster of k nearly equal rates is one root of order k when the (k - 1)-th
    derivative has a root there at which the polynomial vanishes to rounding; that root
    replaces the cluster. Otherwise (close but distinct roots) the cluster is kept.

    Examples
    --------
    >>> a = np.array([1000.0, -3600.0, 4320.0, -1728.0])  # 1000 (1 - 1.2 x) ** 3
    >>> [round(r, 12) for r in merge_multiple(a, [0.199995, 0.1999951, 0.2000062])]
    [0.2]
    """
    out: list[float] = []
    for group in _clusters(roots):
        if len(group) == 1:
            out += group
            continue
        x = _polish(a, len(group), 1.0 / (1.0 + float(np.mean(group))))
        if x is None:
            out += group
        else:
            out.append(float((1.0 - x) / x))
    return out
