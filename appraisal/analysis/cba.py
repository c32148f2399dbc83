"""EU-CBA financial analysis, funding gap and the verdict on a project.

Follows the EU Guide to Cost-Benefit Analysis of Investment Projects (2014):

* **FNPV/C, FRR/C**: return on the investment, flows ``-capex - replacement - opex +
  revenue + residual`` at the financial discount rate.
* **FNPV/K, FRR/K**: return on national capital, flows ``-national public contribution
  - own capital - loan service - opex - replacement + revenue + residual`` (the EU
  grant is not national capital, so it does not appear).
* **Financial sustainability**: the cumulated, undiscounted flow of every source of
  finance plus revenue, less every expense, is >= 0 in every year.
* **Funding gap**: ``rate = (DIC - DNR) / DIC`` with DIC the discounted initial
  investment and DNR the discounted revenue less opex and replacements plus residual
  value (Commission Delegated Regulation (EU) No 480/2014, Articles 15-19); decision
  amount = eligible cost x rate; grant = decision amount x co-financing rate.

:func:`appraise` runs the financial and economic analyses (see
:mod:`.economic`) under one :class:`~appraisal.analysis.parameters.ParameterSet` and
gives a :class:`Verdict` whose reasons are sentences a city or a bank can read (flows in
current prices need the general inflation: see :mod:`appraisal.analysis.nominal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.economic import (
    EconomicInputs,
    EconomicResult,
    economic_analysis,
    irr_or_reason,
)
from appraisal.analysis.inflation import Inflation
from appraisal.analysis.money import Money
from appraisal.analysis.nominal import deflate, deflate_economic, discount_rate
from appraisal.analysis.parameters import ParameterSet
from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidCashflowError

__all__ = [
    "Financing",
    "FundingGap",
    "Sustainability",
    "FinancialResult",
    "Verdict",
    "Appraisal",
    "financial_analysis",
    "funding_gap",
    "appraise",
    "verdict",
]


@dataclass(frozen=True)
class Financing:
    """Sources of finance and debt service per year (empty = zero every year).

    Attributes
    ----------
    eu_grant, national_public, own_capital, loan_drawdown : sequence of float
        Money coming in, by year.
    loan_service : sequence of float
        Interest plus principal repaid, by year.
    taxes : sequence of float
        Direct taxes paid by the operator, by year.
    operating_support : sequence of float
        Transfers from the public budget to cover operating and replacement costs
        (a service without user charges), by year. They count in the financial
        sustainability test but not in FNPV/K: the EU CBA Guide treats them as a
        source that keeps the operation running, not as a return on capital.
    """

    eu_grant: Sequence[float] = ()
    national_public: Sequence[float] = ()
    own_capital: Sequence[float] = ()
    loan_drawdown: Sequence[float] = ()
    loan_service: Sequence[float] = ()
    taxes: Sequence[float] = ()
    operating_support: Sequence[float] = ()

    def line(self, name: str, n: int) -> np.ndarray:
        """One source as an array of ``n`` years (zeros when not given)."""
        values = getattr(self, name)
        if len(values) == 0:
            return np.zeros(n)
        arr = np.asarray(values, dtype=float)
        if arr.shape != (n,) or not np.all(np.isfinite(arr)):
            raise InvalidCashflowError(
                f"financing line {name!r} must hold {n} finite values, one per year"
            )
        return arr


@dataclass(frozen=True)
class FundingGap:
    """The funding-gap calculation, every term kept for display."""

    dic: Money
    dnr: Money
    rate: float
    eligible_cost: Money
    decision_amount: Money
    cofinancing_rate: float
    grant: Money
    note: str


@dataclass(frozen=True)
class Sustainability:
    """Cumulated undiscounted cash flow with all financing, and the years it is negative."""

    cumulated: np.ndarray
    failing_years: tuple[int, ...]
    operating_support: float = 0.0  # undiscounted total from the public budget

    @property
    def sustainable(self) -> bool:
        return not self.failing_years


@dataclass(frozen=True)
class FinancialResult:
    financial_discount_rate: float
    fnpv_c: Money
    frr_c: float | None
    frr_c_note: str
    fnpv_k: Money | None
    frr_k: float | None
    frr_k_note: str
    sustainability: Sustainability
    funding_gap: FundingGap


@dataclass(frozen=True)
class Verdict:
    """Accept or reject, with every test in words (passed and failed)."""

    accept: bool
    reasons: tuple[str, ...]
    failed: tuple[str, ...]

    def __str__(self) -> str:
        head = "ACCEPT" if self.accept else "REJECT"
        return f"{head}: " + "; ".join(self.reasons)


@dataclass(frozen=True)
class Appraisal:
    parameter_set: str
    price_basis: str
    financial: FinancialResult
    economic: EconomicResult
    verdict: Verdict


def funding_gap(
    flows: YearlyFlows,
    params: ParameterSet,
    *,
    eligible_cost: float | None = None,
    inflation: float | None = None,
) -> FundingGap:
    """Funding-gap rate, decision amount and EU grant.

    The rate is capped to [0, 1]: a project whose discounted net revenue exceeds its
    investment needs no grant, and one whose net revenue is negative cannot have more
    than its whole cost covered. A project with no investment cost has a rate of 0
    (nothing to co-finance), said in ``note``.

    Parameters
    ----------
    flows : YearlyFlows
    params : ParameterSet
        Gives the financial discount rate and the co-financing rate.
    eligible_cost : float, optional
        Eligible cost (undiscounted); default the total initial capex.
    inflation : float, optional
        General inflation, needed for flows in current prices (see :func:`discount_rate`).

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> f = build_flows(ProjectInputs(2025, 3, [100.0], fixed_opex=10.0, other_revenue=40.0))
    >>> g = funding_gap(f, get_parameter_set("EU 2014-2020"))
    >>> round(g.rate, 4), round(g.decision_amount.amount, 2), round(g.grant.amount, 2)
    (0.4342, 43.42, 36.9)
    """
    rate = discount_rate(flows, params.financial_discount_rate, inflation)
    dic = npv(rate, flows.capex)
    dnr = npv(rate, flows.revenue - flows.opex - flows.replacement + flows.residual)
    raw = (dic - dnr) / dic if dic > 0 else 0.0
    gap = min(1.0, max(0.0, raw))
    if dic <= 0:
        # Nothing is invested (a service bought as opex), so there is no investment
        # for a grant to co-finance: the rate is 0, and the NPVs still stand.
        note = "no investment cost: no funding gap (nothing for a grant to co-finance)"
    elif raw > 1:
        note = "net revenue is negative: rate capped at 100 %"
    elif raw < 0:
        note = "net revenue covers the investment: no funding gap"
    else:
        note = ""
    ec = float(flows.capex.sum()) if eligible_cost is None else float(eligible_cost)
    if not np.isfinite(ec) or ec < 0:
        raise InvalidCashflowError(f"eligible_cost is {ec!r}; give a finite amount >= 0")
    decision = ec * gap

    def money(x: float) -> Money:
        return Money(float(x), flows.currency, flows.price_base_year, flows.nominal)

    return FundingGap(
        dic=money(dic),
        dnr=money(dnr),
        rate=gap,
        eligible_cost=money(ec),
        decision_amount=money(decision),
        cofinancing_rate=params.cofinancing_rate,
        grant=money(decision * params.cofinancing_rate),
        note=note,
    )


def _sustainability(flows: YearlyFlows, financing: Financing | None) -> Sustainability:
    n = flows.years.size
    costs = flows.capex + flows.replacement + flows.opex
    if financing is None:
        # Without a financing plan the initial investment is taken as funded when spent,
        # so the test is whether revenues carry operations and replacements.
        inflow = flows.capex + flows.revenue
    else:
        sources = (
            "eu_grant",
            "national_public",
            "own_capital",
            "loan_drawdown",
            "operating_support",
        )
        inflow = flows.revenue + sum(financing.line(s, n) for s in sources)
        costs = costs + financing.line("loan_service", n) + financing.line("taxes", n)
    cumulated = np.cumsum(inflow - costs)
    tolerance = 1e-9 * max(1.0, float(np.abs(inflow).max()), float(np.abs(costs).max()))
    failing = tuple(int(y) for y in flows.years[cumulated < -tolerance])
    support = 0.0 if financing is None else float(financing.line("operating_support", n).sum())
    return Sustainability(cumulated=cumulated, failing_years=failing, operating_support=support)


def financial_analysis(
    flows: YearlyFlows,
    params: ParameterSet,
    *,
    financing: Financing | None = None,
    eligible_cost: float | None = None,
    inflation: float | None = None,
) -> FinancialResult:
    """FNPV/C, FRR/C, FNPV/K, FRR/K, sustainability and funding gap.

    FNPV/K needs the financing plan; without one it is None. Current-price flows are
    discounted at the Fisher nominal rate of ``inflation`` (kept in the result).

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=10.0, other_revenue=40.0))
    >>> r = financial_analysis(f, get_parameter_set("EU 2014-2020"))
    >>> str(r.fnpv_c), round(r.frr_c, 4), r.sustainability.sustainable
    ('EUR -17', -0.0509, True)
    """
    rate = discount_rate(flows, params.financial_discount_rate, inflation)
    n = flows.years.size

    def money(x: float) -> Money:
        return Money(float(x), flows.currency, flows.price_base_year, flows.nominal)

    frr_c, frr_c_note = irr_or_reason(flows.net)
    fnpv_k = frr_k = None
    frr_k_note = "no financing plan given"
    if financing is not None:
        k_flows = (
            flows.revenue
            + flows.residual
            - flows.opex
            - flows.replacement
            - financing.line("national_public", n)
            - financing.line("own_capital", n)
            - financing.line("loan_service", n)
        )
        fnpv_k = money(npv(rate, k_flows))
        frr_k, frr_k_note = irr_or_reason(k_flows)
    return FinancialResult(
        financial_discount_rate=rate,
        fnpv_c=money(npv(rate, flows.net)),
        frr_c=frr_c,
        frr_c_note=frr_c_note,
        fnpv_k=fnpv_k,
        frr_k=frr_k,
        frr_k_note=frr_k_note,
        sustainability=_sustainability(flows, financing),
        funding_gap=funding_gap(flows, params, eligible_cost=eligible_cost, inflation=inflation),
    )


def _pct(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f} %"


def verdict(fin: FinancialResult, eco: EconomicResult) -> Verdict:
    """Accept or reject from the financial and economic results (see :func:`appraise`)."""
    support = fin.sustainability.operating_support
    backed = (
        f" (with {Money(support, eco.enpv.currency, eco.enpv.price_base_year)} of operating "
        "support from the public budget over the period)"
        if support > 0
        else ""
    )
    sdr = eco.social_discount_rate
    tests: list[tuple[bool, str]] = []
    ok = eco.enpv.amount > 0
    tests.append((ok, f"ENPV {eco.enpv} {'>' if ok else '<='} 0"))
    if eco.err is None:
        tests.append((True, f"ERR undefined ({eco.err_note}); decided on ENPV"))
    else:
        ok = eco.err > sdr
        sign = ">" if ok else "<="
        tests.append((ok, f"ERR {_pct(eco.err)} {sign} social discount rate {_pct(sdr, 0)}"))
    ok = eco.bc_ratio > 1
    tests.append((ok, f"B/C {eco.bc_ratio:.2f} {'>' if ok else '<='} 1"))
    failing = fin.sustainability.failing_years
    if failing:
        years = ", ".join(map(str, failing))
        tests.append((False, f"financially unsustainable in {years}: cumulated cash flow negative"))
    else:
        tests.append(
            (True, f"financially sustainable: cumulated cash flow >= 0 every year{backed}")
        )
    reasons = tuple(text for _, text in tests)
    failed = tuple(text for passed, text in tests if not passed)
    gap = fin.funding_gap
    frr = "undefined" if fin.frr_c is None else _pct(fin.frr_c)
    gap_text = gap.note if gap.dic.amount <= 0 else f"funding gap {_pct(gap.rate, 0)}"
    info = (
        f"FNPV/C {fin.fnpv_c} at {_pct(fin.financial_discount_rate, 0)}, FRR/C {frr}; "
        f"{gap_text}, grant {gap.grant}"
    )
    return Verdict(accept=not failed, reasons=(*reasons, info), failed=failed)


def appraise(
    flows: YearlyFlows,
    params: ParameterSet,
    *,
    economic: EconomicInputs | None = None,
    financing: Financing | None = None,
    eligible_cost: float | None = None,
    inflation: Inflation | None = None,
) -> Appraisal:
    """Financial and economic analysis of a project, and the verdict.

    The project is accepted when ENPV > 0, ERR > the social discount rate (when a
    single ERR exists), B/C > 1, and it is financially sustainable. A negative FNPV/C
    is no reason to reject: it is what makes a project eligible for a grant.

    Current-price flows need ``inflation``: the financial analysis discounts them at the
    Fisher nominal rate, the economic analysis runs on them deflated line by line.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=10.0, other_revenue=40.0))
    >>> a = appraise(f, get_parameter_set("EU 2014-2020"),
    ...              economic=EconomicInputs(benefits={"health": [0, 15, 15, 15]}))
    >>> a.verdict.accept
    True
    >>> a.verdict.reasons[:3]
    ('ENPV EUR 23 > 0', 'ERR 16.6 % > social discount rate 5 %', 'B/C 1.18 > 1')
    """
    general = None if inflation is None else inflation.general
    fin = financial_analysis(
        flows, params, financing=financing, eligible_cost=eligible_cost, inflation=general
    )
    if flows.nominal and inflation is not None:
        years, base = flows.years, flows.price_base_year
        if economic is not None:
            economic = deflate_economic(economic, inflation, years, base)
        eco = economic_analysis(deflate(flows, inflation), params, economic)
    else:  # constant prices (current prices without inflation were refused above)
        eco = economic_analysis(flows, params, economic)
    return Appraisal(
        parameter_set=f"{params.name} ({params.version})",
        price_basis=flows.price_basis,
        financial=fin,
        economic=eco,
        verdict=verdict(fin, eco),
    )
