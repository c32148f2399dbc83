"""PPP appraisal: value for money, debt sculpting, cover ratios, availability payment.

* **Value for money** compares, as risk-adjusted net present cost to the public
  sector at one discount rate, the public sector comparator
  ``PSC = raw cost + competitive neutrality + transferable risk + retained risk`` with
  the PPP option ``shadow bid + retained risk``. VfM = PSC - PPP; positive favours
  the PPP.
* **Debt sculpting**: debt service of each period is ``CFADS / target DSCR``; the
  debt is the present value of that service at the debt rate. Then DSCR = CFADS /
  debt service, LLCR = PV(CFADS to loan maturity) / debt outstanding and PLCR =
  PV(CFADS to the end of the project) / debt outstanding, each at the start of a
  period. A fully sculpted loan has LLCR = DSCR in every period.
* **Availability payment** is sized so the equity IRR (or the project IRR) equals a
  target, with debt sculpted to the target DSCR and capped by gearing.

Conventions: periods are years; construction years come first and are not
discounted at period 0; operating flows (CFADS, debt service) fall at the end of
each year. Interest during construction and taxes are not modelled: debt is drawn
pro rata to capex and sized at the start of operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from appraisal.analysis.economic import irr_or_reason
from appraisal.analysis.money import Money
from appraisal.discounting.metrics import npv
from appraisal.discounting.validation import as_cashflows, check_rate
from appraisal.errors import InvalidCashflowError, InvalidParameterError
from appraisal.finance.debt import cover_ratios, pv_from_each_year

__all__ = [
    "ValueForMoney",
    "value_for_money",
    "DebtSchedule",
    "sculpt_debt",
    "ProjectFinance",
    "project_finance",
    "AvailabilityPayment",
    "size_availability_payment",
]


@dataclass(frozen=True)
class ValueForMoney:
    """PSC against PPP, each component as net present cost."""

    rate: float
    psc_components: dict[str, Money]
    psc: Money
    ppp_components: dict[str, Money]
    ppp: Money
    vfm: Money
    vfm_share: float

    @property
    def favours_ppp(self) -> bool:
        return self.vfm.amount > 0

    def __str__(self) -> str:
        side = "the PPP" if self.favours_ppp else "public delivery"
        return (
            f"PSC {self.psc} vs PPP {self.ppp} at {self.rate * 100:.1f} %: "
            f"VfM {self.vfm} ({self.vfm_share * 100:.1f} % of PSC) favours {side}"
        )


def value_for_money(
    *,
    raw_cost: Sequence[float],
    competitive_neutrality: Sequence[float],
    transferable_risk: Sequence[float],
    retained_risk: Sequence[float],
    shadow_bid: Sequence[float],
    rate: float,
    currency: str,
    price_base_year: int,
    ppp_retained_risk: Sequence[float] | None = None,
    optimism_bias: Sequence[float] | None = None,
) -> ValueForMoney:
    """Value for money of a PPP against its public sector comparator.

    Every input is a cost to the public sector per year (period 0 undiscounted).

    Parameters
    ----------
    raw_cost : sequence of float
        Base cost of public delivery (capex, opex, less third-party revenue).
    competitive_neutrality : sequence of float
        Advantages of public ownership removed for a fair comparison (taxes, ...).
    transferable_risk, retained_risk : sequence of float
        Expected cost of the risks the PPP would transfer / the public keeps.
    shadow_bid : sequence of float
        Expected payments to the private partner (availability payments...).
    rate : float
        Discount rate for both sides.
    currency, price_base_year
    ppp_retained_risk : sequence of float, optional
        Risk kept under the PPP, if it differs from ``retained_risk``.
    optimism_bias : sequence of float, optional
        Optimism bias uplift of the PSC's capital cost (see
        :mod:`appraisal.finance.risk_register`), a PSC component when given.

    Examples
    --------
    >>> v = value_for_money(raw_cost=[100, 20, 20], competitive_neutrality=[0, 2, 2],
    ...                     transferable_risk=[10, 3, 3], retained_risk=[0, 1, 1],
    ...                     shadow_bid=[0, 75, 75], rate=0.0, currency="EUR",
    ...                     price_base_year=2024)
    >>> v.psc.amount, v.ppp.amount, v.vfm.amount, round(v.vfm_share, 4)
    (162.0, 152.0, 10.0, 0.0617)
    """
    rate = check_rate(rate, name="rate")
    psc_lines = {
        "raw cost": raw_cost,
        "competitive neutrality": competitive_neutrality,
        "transferable risk": transferable_risk,
        "retained risk": retained_risk,
    }
    if optimism_bias is not None:
        psc_lines["optimism bias"] = optimism_bias
    ppp_lines = {
        "shadow bid": shadow_bid,
        "retained risk": retained_risk if ppp_retained_risk is None else ppp_retained_risk,
    }

    def pv(lines: dict[str, Sequence[float]]) -> dict[str, Money]:
        return {
            name: Money(
                npv(rate, as_cashflows(np.atleast_1d(v), name=name)), currency, price_base_year
            )
            for name, v in lines.items()
        }

    psc_c, ppp_c = pv(psc_lines), pv(ppp_lines)
    psc = sum(m.amount for m in psc_c.values())
    ppp = sum(m.amount for m in ppp_c.values())
    if psc <= 0:
        raise InvalidCashflowError(
            f"the PSC's present cost is {psc:g}; VfM needs a positive public cost to compare"
        )
    return ValueForMoney(
        rate=rate,
        psc_components=psc_c,
        psc=Money(psc, currency, price_base_year),
        ppp_components=ppp_c,
        ppp=Money(ppp, currency, price_base_year),
        vfm=Money(psc - ppp, currency, price_base_year),
        vfm_share=(psc - ppp) / psc,
    )


@dataclass(frozen=True)
class DebtSchedule:
    """A loan year by year from the start of operation, with its cover ratios."""

    amount: float
    rate: float
    opening: np.ndarray
    interest: np.ndarray
    principal: np.ndarray
    service: np.ndarray
    closing: np.ndarray
    dscr: np.ndarray
    llcr: np.ndarray
    plcr: np.ndarray

    @property
    def min_dscr(self) -> float:
        return float(np.nanmin(self.dscr))

    @property
    def avg_dscr(self) -> float:
        return float(np.nanmean(self.dscr))

    @property
    def min_llcr(self) -> float:
        return float(np.nanmin(self.llcr))


def sculpt_debt(
    cfads: Sequence[float],
    *,
    rate: float,
    target_dscr: float,
    tenor: int | None = None,
    amount: float | None = None,
) -> DebtSchedule:
    """Debt whose service is CFADS / target DSCR in each year of its tenor.

    Parameters
    ----------
    cfads : sequence of float
        Cash flow available for debt service per operating year.
    rate : float
        Interest rate of the debt.
    target_dscr : float
        Debt service cover ratio to sculpt to (> 0, usually 1.2-1.4).
    tenor : int, optional
        Years of debt service (default: every year of ``cfads``).
    amount : float, optional
        A smaller loan (e.g. capped by gearing): the sculpted service is scaled down
        in proportion, so DSCR is higher than the target in every year.

    Raises
    ------
    InvalidCashflowError
        CFADS negative within the tenor (no service can be sculpted to it).
    InvalidParameterError
        A bad DSCR or tenor, or ``amount`` above what the target DSCR supports.

    Examples
    --------
    >>> d = sculpt_debt([130.0, 130.0, 130.0], rate=0.05, target_dscr=1.3)
    >>> round(d.amount, 4), d.service.tolist()
    (272.3248, [100.0, 100.0, 100.0])
    >>> d.dscr.round(6).tolist(), d.llcr.round(6).tolist()
    ([1.3, 1.3, 1.3], [1.3, 1.3, 1.3])
    """
    cf = as_cashflows(np.atleast_1d(cfads), name="cfads")
    rate = check_rate(rate, name="rate")
    if not np.isfinite(target_dscr) or target_dscr <= 0:
        raise InvalidParameterError(f"target_dscr is {target_dscr!r}; give a ratio > 0")
    tenor = cf.size if tenor is None else tenor
    if not 0 < tenor <= cf.size:
        raise InvalidParameterError(f"tenor is {tenor}; give 1 to {cf.size} years")
    if np.any(cf[:tenor] < 0):
        bad = np.flatnonzero(cf[:tenor] < 0).tolist()
        raise InvalidCashflowError(
            f"CFADS is negative in operating year(s) {bad}: debt cannot be sculpted to it; "
            "shorten the tenor or fix the revenue"
        )
    service = np.zeros(cf.size)
    service[:tenor] = cf[:tenor] / target_dscr
    capacity = float(pv_from_each_year(service, rate)[0])
    if amount is not None:
        if amount < 0 or amount > capacity * (1 + 1e-12):
            raise InvalidParameterError(
                f"a loan of {amount:,.2f} needs more than the {capacity:,.2f} the target "
                f"DSCR {target_dscr} supports; lower the amount or the DSCR"
            )
        service = service * (amount / capacity if capacity > 0 else 0.0)
    principal_total = capacity if amount is None else float(amount)
    opening = np.zeros(cf.size)
    interest = np.zeros(cf.size)
    closing = np.zeros(cf.size)
    balance = principal_total
    for t in range(cf.size):
        opening[t] = balance
        interest[t] = balance * rate
        balance = balance + interest[t] - service[t]
        closing[t] = balance
    closing[np.abs(closing) < 1e-9 * max(1.0, principal_total)] = 0.0
    principal = service - interest
    dscr, llcr = cover_ratios(cf, service, opening, rate, tenor - 1)
    live = opening > 1e-9 * max(1.0, principal_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        plcr = np.where(live, pv_from_each_year(cf, rate) / np.where(live, opening, 1.0), np.nan)
    return DebtSchedule(
        principal_total, rate, opening, interest, principal, service, closing, dscr, llcr, plcr
    )


@dataclass(frozen=True)
class ProjectFinance:
    """The project company's flows over construction and operation."""

    debt: DebtSchedule
    debt_drawdown: np.ndarray
    equity_contribution: np.ndarray
    project_flows: np.ndarray
    equity_flows: np.ndarray
    project_irr: float | None
    project_irr_note: str
    equity_irr: float | None
    equity_irr_note: str


def project_finance(
    capex: Sequence[float],
    cfads: Sequence[float],
    *,
    debt_rate: float,
    target_dscr: float,
    gearing: float = 1.0,
    tenor: int | None = None,
) -> ProjectFinance:
    """Debt sculpted to a DSCR, capped at ``gearing`` x capex, and the resulting IRRs.

    Examples
    --------
    >>> pf = project_finance([1000.0], [130.0] * 20, debt_rate=0.05, target_dscr=1.3,
    ...                      gearing=0.8)
    >>> round(pf.debt.amount, 2), round(pf.project_irr, 4), round(pf.equity_irr, 4)
    (800.0, 0.1154, 0.3279)
    """
    capex_a = as_cashflows(np.atleast_1d(capex), name="capex")
    cf = as_cashflows(np.atleast_1d(cfads), name="cfads")
    if not 0 <= gearing <= 1:
        raise InvalidParameterError(f"gearing is {gearing!r}; give a share of capex in [0, 1]")
    total = float(capex_a.sum())
    if total <= 0:
        raise InvalidCashflowError("capex sums to zero; give the investment of each year")
    full = sculpt_debt(cf, rate=debt_rate, target_dscr=target_dscr, tenor=tenor)
    cap = gearing * total
    debt = (
        full
        if full.amount <= cap
        else sculpt_debt(cf, rate=debt_rate, target_dscr=target_dscr, tenor=tenor, amount=cap)
    )
    drawdown = capex_a * (debt.amount / total)
    equity_in = capex_a - drawdown
    project = np.concatenate([-capex_a, cf])
    equity = np.concatenate([-equity_in, cf - debt.service])
    p_irr, p_note = irr_or_reason(project)
    e_irr, e_note = irr_or_reason(equity)
    return ProjectFinance(debt, drawdown, equity_in, project, equity, p_irr, p_note, e_irr, e_note)


@dataclass(frozen=True)
class AvailabilityPayment:
    first_year_payment: float
    payments: np.ndarray
    finance: ProjectFinance
    target: str
    target_irr: float


def size_availability_payment(
    capex: Sequence[float],
    opex: Sequence[float],
    *,
    target_irr: float,
    debt_rate: float,
    target_dscr: float,
    gearing: float,
    target: str = "equity",
    indexation: float = 0.0,
    tenor: int | None = None,
) -> AvailabilityPayment:
    """The availability payment that gives the equity (or project) IRR ``target_irr``.

    Payments grow at ``indexation`` a year from the first operating year; CFADS is
    payment less ``opex``. The payment is found by Brent's method on the NPV of the
    target flows at ``target_irr`` (which rises with the payment).

    Examples
    --------
    >>> ap = size_availability_payment([1000.0], [20.0] * 20, target_irr=0.10,
    ...                                debt_rate=0.05, target_dscr=1.3, gearing=0.8)
    >>> round(ap.finance.equity_irr, 6), ap.finance.debt.min_dscr >= 1.3 - 1e-9
    (0.1, True)
    """
    if target not in ("equity", "project"):
        raise InvalidParameterError(f"target must be 'equity' or 'project', not {target!r}")
    target_irr = check_rate(target_irr, name="target_irr")
    index = (1 + check_rate(indexation, name="indexation")) ** np.arange(len(opex))
    opex_a = as_cashflows(np.atleast_1d(opex), name="opex")

    def finance(payment: float) -> ProjectFinance:
        return project_finance(
            capex,
            payment * index - opex_a,
            debt_rate=debt_rate,
            target_dscr=target_dscr,
            gearing=gearing,
            tenor=tenor,
        )

    def gap(payment: float) -> float:
        pf = finance(payment)
        flows = pf.equity_flows if target == "equity" else pf.project_flows
        return npv(target_irr, flows)

    low = float(np.max(opex_a / index))  # below this CFADS turns negative
    if gap(low) >= 0:
        raise InvalidParameterError(
            f"a payment that only covers opex already gives a {target} IRR of at least "
            f"{target_irr:.2%}; check capex and opex"
        )
    high = max(low, 1.0) * 2
    while gap(high) < 0:
        high *= 2
        if high > 1e15:
            raise InvalidParameterError("no availability payment reaches the target IRR")
    payment = brentq(gap, low, high, xtol=1e-12 * high, rtol=1e-14)
    return AvailabilityPayment(payment, payment * index, finance(payment), target, target_irr)
