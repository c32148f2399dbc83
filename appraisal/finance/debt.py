"""Loans year by year: drawdown, interest during construction, grace, repayment, ratios.

Conventions (years are the plan's years, 0 = the project's start year):

* A loan is drawn during the years given by its drawdowns; interest of a year is the
  rate times the balance at the start of that year (drawdowns of a year bear interest
  from the next year on).
* The **tenor** is counted from the first year after the last drawdown (the first
  operating year): ``grace`` years of interest only, then ``tenor - grace`` years of
  repayment, as an **annuity** (level service, :func:`~appraisal.discounting.annuities.pmt`)
  or **linear** (level principal). The loan is fully repaid at the end of its tenor.
* Interest in drawdown years is **interest during construction** (IDC): paid in cash
  and financed by the plan's sources, not capitalised. A negative rate (allowed down to
  -5 %) gives negative IDC: money the lender pays, which lowers that year's uses.
* The **upfront fee** is a share of the amount, paid in the year of the first drawdown.
* **DSCR** of a year = CFADS / debt service of that year; **LLCR** of a year = PV at
  the loans' rate of CFADS from that year to the final maturity / debt outstanding at
  the start of that year (the same ratios as :func:`appraisal.finance.ppp.sculpt_debt`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from appraisal.discounting.annuities import pmt
from appraisal.errors import InvalidParameterError, PlanInputError

__all__ = [
    "PROFILES",
    "LOAN_LABELS",
    "RATE_LIMITS",
    "LoanTerms",
    "LoanSchedule",
    "check_loan_terms",
    "loan_schedule",
    "pv_from_each_year",
    "cover_ratios",
]

PROFILES = ("annuity", "linear")
LOAN_LABELS = {
    "ifi_loan": "IFI loan",
    "commercial_loan": "Commercial loan",
    "concessional": "Concessional tranche (blended finance)",
}
#: Interest rates outside this range are typing errors, not loans (decimals).
RATE_LIMITS = (-0.05, 0.50)
MAX_TENOR = 60


@dataclass(frozen=True)
class LoanTerms:
    """A loan's terms. ``rate`` and ``upfront_fee`` are decimals (0.04 = 4 %).

    ``city_carries``: the city is the borrower, so its budget pays the service (it
    counts in the affordability test).
    """

    kind: str
    amount: float
    rate: float
    tenor: int
    grace: int = 0
    profile: str = "annuity"
    upfront_fee: float = 0.0
    city_carries: bool = False


@dataclass(frozen=True)
class LoanSchedule:
    """One loan over the plan's years; every array has one value per year."""

    terms: LoanTerms
    drawdown: np.ndarray
    opening: np.ndarray
    interest: np.ndarray
    principal: np.ndarray
    closing: np.ndarray
    idc: np.ndarray  # interest paid in drawdown years
    service: np.ndarray  # interest + principal from the first operating year
    fee: np.ndarray
    first_service_year: int
    maturity_year: int  # the last year of service


def check_loan_terms(terms: LoanTerms) -> None:
    """Refuse terms no lender offers, naming the term and what to give instead.

    Each error's ``field`` attribute names the term (``amount``, ``rate``, ...).
    """

    def refuse(term: str, message: str):
        raise PlanInputError(
            f"{LOAN_LABELS.get(terms.kind, terms.kind)}: {message}", f"{terms.kind}_{term}"
        )

    if not np.isfinite(terms.amount) or terms.amount < 0:
        refuse("amount", f"the amount is {terms.amount!r}; give an amount >= 0")
    low, high = RATE_LIMITS
    if not np.isfinite(terms.rate) or not low <= terms.rate <= high:
        refuse(
            "rate",
            f"an interest rate of {terms.rate * 100:g} % is outside {low * 100:g} % to "
            f"{high * 100:g} %; give the yearly rate in percent (4 for 4 %)",
        )
    if not isinstance(terms.tenor, int | np.integer) or not 1 <= terms.tenor <= MAX_TENOR:
        refuse("tenor", f"the tenor is {terms.tenor!r} years; give 1 to {MAX_TENOR} years")
    if not isinstance(terms.grace, int | np.integer) or terms.grace < 0:
        refuse("grace", f"the grace period is {terms.grace!r} years; give 0 or more years")
    if terms.grace >= terms.tenor:
        refuse(
            "grace",
            f"a grace period of {terms.grace} years leaves no year to repay within a tenor "
            f"of {terms.tenor} years; give a grace period shorter than the tenor",
        )
    if terms.profile not in PROFILES:
        refuse("profile", f"the repayment profile {terms.profile!r} is not one of {PROFILES}")
    if not np.isfinite(terms.upfront_fee) or not 0 <= terms.upfront_fee <= 0.2:
        refuse(
            "upfront_fee",
            f"an upfront fee of {terms.upfront_fee * 100:g} % is outside 0 to 20 % of the amount",
        )


def _repayments(terms: LoanTerms) -> np.ndarray:
    """Principal repaid in each year of the tenor (grace years first, at zero)."""
    years = terms.tenor - terms.grace
    principal = np.zeros(terms.tenor)
    if terms.profile == "linear":
        principal[terms.grace :] = terms.amount / years
        return principal
    level = -pmt(terms.rate, years, terms.amount)
    balance = terms.amount
    for t in range(terms.grace, terms.tenor):
        repaid = level - balance * terms.rate
        principal[t] = repaid
        balance -= repaid
    principal[-1] += balance  # rounding left by the level payment
    return principal


def loan_schedule(terms: LoanTerms, drawdown: Sequence[float], *, years: int) -> LoanSchedule:
    """The loan drawn as ``drawdown`` (per year) over a plan of ``years`` years.

    Raises
    ------
    InvalidParameterError
        Bad terms (see :func:`check_loan_terms`), drawdowns that do not add up to the
        amount, or a tenor that runs past the plan's last year.

    Examples
    --------
    1,000 drawn in year 0 at 5 %, 4 years with 1 of grace, annuity: interest only in
    year 1, then three level payments of 1,000 x 0.05 / (1 - 1.05**-3) = 367.21:

    >>> s = loan_schedule(LoanTerms("loan", 1000.0, 0.05, 4, grace=1), [1000, 0, 0, 0, 0],
    ...                   years=5)
    >>> s.service.round(2).tolist()
    [0.0, 50.0, 367.21, 367.21, 367.21]
    >>> float(s.closing[-1])
    0.0
    """
    check_loan_terms(terms)
    draws = np.zeros(years)
    given = np.asarray(drawdown, dtype=float)
    draws[: given.size] = given[:years]
    if not np.isclose(draws.sum(), terms.amount, rtol=1e-9, atol=1e-6):
        raise InvalidParameterError(
            f"{terms.kind}: drawdowns add up to {draws.sum():,.2f}, not the amount "
            f"{terms.amount:,.2f}"
        )
    drawn = np.flatnonzero(draws)
    first = int(drawn[-1]) + 1 if drawn.size else 0
    zeros = np.zeros(years)
    if terms.amount == 0:
        return LoanSchedule(terms, draws, zeros, zeros, zeros, zeros, zeros, zeros, zeros, 0, -1)
    if first + terms.tenor > years:
        raise PlanInputError(
            f"{LOAN_LABELS.get(terms.kind, terms.kind)}: a tenor of {terms.tenor} years "
            f"from year {first} (the year after the last drawdown) runs past the "
            f"project's last year {years - 1}; shorten the tenor or lengthen the project's horizon",
            f"{terms.kind}_tenor",
        )
    principal = zeros.copy()
    principal[first : first + terms.tenor] = _repayments(terms)
    opening, interest, closing = zeros.copy(), zeros.copy(), zeros.copy()
    balance = 0.0
    for t in range(years):
        opening[t] = balance
        interest[t] = balance * terms.rate
        balance = balance + draws[t] - principal[t]
        closing[t] = balance
    closing[np.abs(closing) < 1e-9 * max(1.0, terms.amount)] = 0.0
    operating = np.arange(years) >= first
    idc = np.where(operating, 0.0, interest)
    service = np.where(operating, interest + principal, 0.0)
    fee = zeros.copy()
    fee[int(drawn[0])] = terms.upfront_fee * terms.amount
    return LoanSchedule(
        terms,
        draws,
        opening,
        interest,
        principal,
        closing,
        idc,
        service,
        fee,
        first,
        first + terms.tenor - 1,
    )


def pv_from_each_year(values: np.ndarray, rate: float) -> np.ndarray:
    """PV at the start of each year of the flows from that year to the end (end-year flows)."""
    out = np.zeros(values.size)
    acc = 0.0
    for t in range(values.size - 1, -1, -1):
        acc = (acc + values[t]) / (1 + rate)
        out[t] = acc
    return out


def cover_ratios(
    cfads: np.ndarray, service: np.ndarray, opening: np.ndarray, rate: float, maturity: int
) -> tuple[np.ndarray, np.ndarray]:
    """DSCR and LLCR per year; NaN where there is no service / no debt outstanding.

    ``maturity`` is the index of the last year of service: LLCR discounts CFADS up to it.
    """
    cf = np.asarray(cfads, dtype=float)
    scale = max(1.0, float(np.max(np.abs(opening), initial=0.0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        paying = service > 1e-12 * scale
        dscr = np.where(paying, cf / np.where(paying, service, 1.0), np.nan)
        loan_cf = np.where(np.arange(cf.size) <= maturity, cf, 0.0)
        live = opening > 1e-9 * scale
        llcr = np.where(
            live, pv_from_each_year(loan_cf, rate) / np.where(live, opening, 1.0), np.nan
        )
    return dscr, llcr
