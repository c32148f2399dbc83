"""Availability payments and sculpted debt for many PPP projects at once.

The batch twin of :func:`appraisal.finance.ppp.size_availability_payment`, for the
whole-pipeline re-appraisal: rows of projects with the same construction and
operating years, one numpy pass instead of Brent's method per project.

With CFADS ``p index - opex`` (``p`` the first-year payment) and debt sculpted to the
target DSCR ``D``, the NPV of the equity flows at the target IRR is, while the debt is
below its gearing cap, linear in ``p``:
``-K + K C(p) / total + (1 - 1/D) A(p)``, with ``A`` the present value of CFADS at the
target IRR, ``C`` the debt the CFADS support (their PV at the debt rate over ``D``) and
``K`` that of the capex. Above the cap the debt is ``cap`` and its service is scaled by
``cap / C(p)``: ``-K (1 - gearing) + A(p) (1 - cap / (D C(p)))``, whose zero solves a
quadratic. Either root is polished by Newton's method on the same function, so the
payment agrees with the scalar Brent search to its tolerance (``1e-12``).

Rows for which the scalar sizing would refuse (a payment covering opex already reaches
the target, or none below ``1e15``) are flagged, so the caller can ask the scalar path
for its message.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SizedPayments", "size_availability_payments", "sculpt_rows"]


@dataclass(frozen=True)
class SizedPayments:
    """First-year payment per row (NaN where ``ok`` is False) and the payments.

    ``covered`` marks the rows the scalar sizing refuses because a payment that only
    covers opex already reaches the target IRR.
    """

    payment: np.ndarray
    payments: np.ndarray
    cfads: np.ndarray
    ok: np.ndarray
    covered: np.ndarray


def _pv_backwards(values: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """PV at the start of each period of the flows from it to the end (end of period)."""
    out = np.zeros_like(values)
    acc = np.zeros(values.shape[0])
    growth = 1.0 + rate
    for t in range(values.shape[1] - 1, -1, -1):
        acc = (acc + values[:, t]) / growth
        out[:, t] = acc
    return out


def size_availability_payments(
    capex: np.ndarray,
    opex: np.ndarray,
    *,
    target_irr: np.ndarray,
    debt_rate: np.ndarray,
    target_dscr: np.ndarray,
    gearing: np.ndarray,
    indexation: np.ndarray,
) -> SizedPayments:
    """The payment giving each row's equity IRR ``target_irr`` (arrays of one per row).

    ``capex`` is (rows, construction years), ``opex`` (rows, operating years).

    Examples
    --------
    >>> one = np.ones(1)
    >>> s = size_availability_payments(np.array([[1000.0]]), np.full((1, 20), 20.0),
    ...     target_irr=0.1 * one, debt_rate=0.05 * one, target_dscr=1.3 * one,
    ...     gearing=0.8 * one, indexation=0 * one)
    >>> from appraisal.finance.ppp import size_availability_payment
    >>> ap = size_availability_payment([1000.0], [20.0] * 20, target_irr=0.1,
    ...     debt_rate=0.05, target_dscr=1.3, gearing=0.8)
    >>> bool(abs(s.payment[0] / ap.first_year_payment - 1) < 1e-11)
    True
    """
    m, c = capex.shape
    n_op = opex.shape[1]
    col = lambda v: np.asarray(v, dtype=float).reshape(m, 1)  # noqa: E731
    t_irr, d_rate, dscr, gear = col(target_irr), col(debt_rate), col(target_dscr), col(gearing)
    with np.errstate(all="ignore"):
        index = (1.0 + col(indexation)) ** np.arange(n_op)[None, :]
        low = np.max(opex / index, axis=1)
        v_cap = (1.0 + t_irr) ** -np.arange(c)[None, :]
        v_op = (1.0 + t_irr) ** -(c + np.arange(n_op))[None, :]
        d_op = (1.0 + d_rate) ** -(1 + np.arange(n_op))[None, :]
        k_t = np.sum(capex * v_cap, axis=1)
        i_t, o_t = np.sum(index * v_op, axis=1), np.sum(opex * v_op, axis=1)
        i_d, o_d = np.sum(index * d_op, axis=1), np.sum(opex * d_op, axis=1)
        total = capex.sum(axis=1)
        dscr1, gear1 = dscr[:, 0], gear[:, 0]
        cap = gear1 * total

        def gap(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Equity NPV at the target IRR and its slope, in the regime at ``p``."""
            a, b = p * i_t - o_t, (p * i_d - o_d) / dscr1
            capped = b > cap
            free = -k_t + k_t * b / total + (1 - 1 / dscr1) * a
            free_slope = k_t * i_d / (dscr1 * total) + (1 - 1 / dscr1) * i_t
            debt_pv = p * i_d - o_d  # D C(p)
            ratio = cap / debt_pv
            held = -k_t * (1 - gear1) + a * (1 - ratio)
            held_slope = i_t * (1 - ratio) + a * ratio * i_d / debt_pv
            return np.where(capped, held, free), np.where(capped, held_slope, free_slope)

        beta = k_t * i_d / (dscr1 * total) + (1 - 1 / dscr1) * i_t
        alpha = -k_t - k_t * o_d / (dscr1 * total) + (1 - 1 / dscr1) * -o_t
        p = -alpha / beta
        over = (p * i_d - o_d) / dscr1 > cap
        # Above the cap: (I_t p - O_t)(I_d p - O_d - cap) - K' (I_d p - O_d) = 0.
        k2 = k_t * (1 - gear1)
        a2 = i_t * i_d
        a1 = -i_t * (o_d + cap) - o_t * i_d - k2 * i_d
        a0 = o_t * (o_d + cap) + k2 * o_d
        q = np.where(over, (-a1 + np.sqrt(a1 * a1 - 4 * a2 * a0)) / (2 * a2), p)
        for _ in range(3):
            g, s = gap(q)
            q = q - g / s
        g_low, _ = gap(low)
        # The scalar search starts at the payment that only covers opex; where rounding
        # leaves its CFADS a hair below zero it refuses (no debt sculpted to it): so do we.
        rounded_below = np.any(low[:, None] * index - opex < 0, axis=1)
        ok = (
            ~rounded_below
            & np.isfinite(q)
            & (q > low)
            & (g_low < 0)
            & (q < 1e14)
            & (total > 0)
            & (dscr1 > 0)
            & (gear1 >= 0)
            & (gear1 <= 1)
        )
        payment = np.where(ok, q, np.nan)
        payments = payment[:, None] * index
        cfads = payments - opex
    covered = (
        ~rounded_below & (g_low >= 0) & (total > 0) & (dscr1 > 0) & (gear1 >= 0) & (gear1 <= 1)
    )
    return SizedPayments(payment, payments, cfads, ok, covered)


@dataclass(frozen=True)
class SculptedRows:
    """Debt sculpted to CFADS / DSCR for each row, capped at ``cap``: as ``DebtSchedule``."""

    amount: np.ndarray
    opening: np.ndarray
    interest: np.ndarray
    principal: np.ndarray
    service: np.ndarray
    closing: np.ndarray
    dscr: np.ndarray
    llcr: np.ndarray
    plcr: np.ndarray


def sculpt_rows(
    cfads: np.ndarray, *, rate: np.ndarray, target_dscr: np.ndarray, cap: np.ndarray
) -> SculptedRows:
    """:func:`appraisal.finance.ppp.sculpt_debt` over the whole tenor, row by row at once,
    with the loan capped at ``cap`` (service scaled down in proportion, as the scalar).

    Examples
    --------
    >>> d = sculpt_rows(np.array([[130.0, 130.0, 130.0]]), rate=np.array([0.05]),
    ...                 target_dscr=np.array([1.3]), cap=np.array([1e9]))
    >>> round(float(d.amount[0]), 4), d.service.tolist(), d.dscr.round(6).tolist()
    (272.3248, [[100.0, 100.0, 100.0]], [[1.3, 1.3, 1.3]])
    """
    m, n = cfads.shape
    rate = np.asarray(rate, dtype=float)
    service = cfads / np.asarray(target_dscr, dtype=float)[:, None]
    capacity = _pv_backwards(service, rate)[:, 0]
    capped = capacity > cap
    amount = np.where(capped, cap, capacity)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(capacity > 0, amount / capacity, 0.0)
    service = np.where(capped[:, None], service * scale[:, None], service)
    opening, interest, closing = np.zeros((m, n)), np.zeros((m, n)), np.zeros((m, n))
    balance = amount.copy()
    for t in range(n):
        opening[:, t] = balance
        interest[:, t] = balance * rate
        balance = balance + interest[:, t] - service[:, t]
        closing[:, t] = balance
    big = np.maximum(1.0, amount)[:, None]
    closing[np.abs(closing) < 1e-9 * big] = 0.0
    principal = service - interest
    with np.errstate(divide="ignore", invalid="ignore"):
        dscr = np.where(service > 0, cfads / np.where(service > 0, service, 1.0), np.nan)
        live = opening > 1e-9 * big
        safe = np.where(live, opening, 1.0)
        cover = np.where(live, _pv_backwards(cfads, rate) / safe, np.nan)
    return SculptedRows(amount, opening, interest, principal, service, closing, dscr, cover, cover)
