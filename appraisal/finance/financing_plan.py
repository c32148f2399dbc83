"""A project's financing plan: sources and uses per year, debt service, cover ratios and
the city's affordability.

* **Uses** per year: the capex (from the project's cash flows), interest during
  construction and upfront fees of the loans (:mod:`appraisal.finance.debt`), and the
  debt service reserve, funded in the last construction year as a share of the first
  operating year's debt service (0.5 = six months).
* **Sources** per year: EU and national grants, IFI and commercial loans and the
  concessional tranche of blended finance (drawn pro rata to capex), equity, PPP
  private finance and the city budget. Grants may be sized as a total (e.g. from the
  funding gap: EU grant = decision amount x co-financing rate, national grant = the
  rest of the decision amount), spread pro rata to capex. Sources may be *sized*: what
  the other sources leave uncovered in a year is split among the sources of
  ``residual_shares`` (shares adding up to 1). Guarantees are contingent, not cash:
  they are kept beside the plan and are no source.
* **Balance**: sources must equal uses in every year, to a cent (0.01 currency units,
  or 1e-9 of the total uses when larger); otherwise
  :class:`~appraisal.errors.UnbalancedPlanError` names the years and the gap.
* **Cover ratios**: DSCR and LLCR of all loans together, on the project's CFADS
  (revenue less opex and replacements), LLCR at the loans' amount-weighted rate.
* **Affordability**: the plan's call on the city's budget in a year is its city
  budget contribution plus the debt service of the loans the city carries; as a
  share of the city's annual budget it should stay within a stated threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from appraisal.errors import PlanInputError, UnbalancedPlanError
from appraisal.finance.debt import LoanSchedule, LoanTerms, cover_ratios, loan_schedule

__all__ = [
    "LOAN_KINDS",
    "CASH_KINDS",
    "SOURCE_KINDS",
    "USE_KINDS",
    "PlanInputs",
    "Affordability",
    "FinancingPlan",
    "financing_plan",
]

LOAN_KINDS = ("ifi_loan", "commercial_loan", "concessional")
CASH_KINDS = ("eu_grant", "national_grant", "equity", "ppp_private", "city_budget")
SOURCE_KINDS = ("eu_grant", "national_grant", *LOAN_KINDS, "equity", "ppp_private", "city_budget")
USE_KINDS = ("capex", "idc", "fees", "dsra")
GRANT_KINDS = ("eu_grant", "national_grant")


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from; rates and shares are decimals, money in one currency.

    ``capex`` and ``cfads`` hold one value per year of the project (year 0 first).
    ``sources`` gives yearly amounts of the cash sources (:data:`CASH_KINDS`);
    ``grant_totals`` replaces a grant's yearly amounts by a total spread pro rata to
    capex; ``residual_shares`` sizes sources as shares of what the rest leaves uncovered.
    ``city_budget`` is the city's annual budget (or revenue) for the affordability test.
    """

    capex: Sequence[float]
    cfads: Sequence[float]
    currency: str
    price_base_year: int
    start_year: int = 0
    loans: Sequence[LoanTerms] = ()
    sources: Mapping[str, Sequence[float]] = field(default_factory=dict)
    grant_totals: Mapping[str, float] = field(default_factory=dict)
    residual_shares: Mapping[str, float] = field(default_factory=dict)
    dsra_share: float = 0.0
    guarantees: float = 0.0
    city_budget: float | None = None
    affordability_threshold: float = 0.10


@dataclass(frozen=True)
class Affordability:
    """The plan's yearly call on the city's budget against the city's annual budget."""

    city_budget: float
    threshold: float
    call: np.ndarray  # city budget contributions + service of the loans the city carries
    share: np.ndarray  # call / city budget
    failing_years: tuple[int, ...]  # calendar years above the threshold

    @property
    def peak_share(self) -> float:
        return float(self.share.max(initial=0.0))

    @property
    def affordable(self) -> bool:
        return not self.failing_years


@dataclass(frozen=True)
class FinancingPlan:
    years: np.ndarray  # calendar years
    currency: str
    price_base_year: int
    sources: dict[str, np.ndarray]
    uses: dict[str, np.ndarray]
    loans: tuple[LoanSchedule, ...]
    cfads: np.ndarray
    debt_service: np.ndarray
    debt_outstanding: np.ndarray  # at the start of each year
    dscr: np.ndarray  # NaN in years without debt service
    llcr: np.ndarray  # NaN in years without debt outstanding in operation
    guarantees: float
    affordability: Affordability | None

    @property
    def total_sources(self) -> np.ndarray:
        return np.sum(list(self.sources.values()), axis=0)

    @property
    def total_uses(self) -> np.ndarray:
        return np.sum(list(self.uses.values()), axis=0)

    def _stat(self, values: np.ndarray, how) -> float | None:
        finite = values[np.isfinite(values)]
        return float(how(finite)) if finite.size else None

    @property
    def min_dscr(self) -> float | None:
        return self._stat(self.dscr, np.min)

    @property
    def avg_dscr(self) -> float | None:
        return self._stat(self.dscr, np.mean)

    @property
    def min_llcr(self) -> float | None:
        return self._stat(self.llcr, np.min)

    @property
    def avg_llcr(self) -> float | None:
        return self._stat(self.llcr, np.mean)


def _series(values: Sequence[float], n: int, name: str, field_name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.shape != (n,) or not np.all(np.isfinite(arr)):
        raise PlanInputError(f"{name} must hold {n} finite amounts, one per year", field_name)
    return arr


def _check_shares(shares: Mapping[str, float]) -> None:
    for kind, share in shares.items():
        if kind not in CASH_KINDS:
            raise PlanInputError(
                f"{kind!r} cannot be sized from the remainder; choose among {CASH_KINDS}",
                "residual_shares",
            )
        if not np.isfinite(share) or not 0 <= share <= 1:
            raise PlanInputError(
                f"the share of {kind} is {share * 100:g} %; give 0 to 100 %", f"share_{kind}"
            )
    total = float(sum(shares.values()))
    if shares and abs(total - 1.0) > 1e-9:
        raise PlanInputError(
            f"the shares of the remainder add up to {total * 100:g} %, not 100 %; "
            "change them so they add up to 100 %",
            "residual_shares",
        )


def _check_scalars(inputs: PlanInputs) -> None:
    if not np.isfinite(inputs.dsra_share) or not 0 <= inputs.dsra_share <= 2:
        raise PlanInputError(
            f"the debt service reserve is {inputs.dsra_share * 100:g} % of a year's service; "
            "give 0 to 200 % (50 % = six months)",
            "dsra_share",
        )
    if not np.isfinite(inputs.guarantees) or inputs.guarantees < 0:
        raise PlanInputError("guarantees must be an amount >= 0", "guarantees")
    if inputs.city_budget is not None and (
        not np.isfinite(inputs.city_budget) or inputs.city_budget <= 0
    ):
        raise PlanInputError(
            "the city's annual budget must be an amount above 0 (or left out)", "city_budget"
        )
    if not np.isfinite(inputs.affordability_threshold) or not (
        0 < inputs.affordability_threshold <= 1
    ):
        raise PlanInputError(
            "the affordability threshold must be a share of the budget above 0 and at most 100 %",
            "affordability_threshold",
        )


def _gap_message(years: np.ndarray, gap: np.ndarray, currency: str, tol: float) -> str:
    short = [f"{years[t]} ({currency} {gap[t]:,.2f})" for t in np.flatnonzero(gap > tol)]
    over = [f"{years[t]} ({currency} {-gap[t]:,.2f})" for t in np.flatnonzero(gap < -tol)]
    parts = []
    if short:
        parts.append(
            "sources fall short of uses in " + ", ".join(short) + ": add or raise a source"
        )
    if over:
        parts.append("sources exceed uses in " + ", ".join(over) + ": lower a source")
    return "the plan does not balance: " + "; ".join(parts)


def financing_plan(inputs: PlanInputs) -> FinancingPlan:
    """Size, check and assess a financing plan.

    Raises
    ------
    PlanInputError
        A bad term, share or amount; ``field`` names it.
    UnbalancedPlanError
        Sources differ from uses in some year (the message names the years and gaps).

    Examples
    --------
    Capex of 1,000 in year 0; a 600 loan at 5 % over 2 years (annuity); the city
    budget covers the rest:

    >>> p = financing_plan(PlanInputs(capex=[1000, 0, 0], cfads=[0, 400, 400],
    ...     currency="EUR", price_base_year=2024,
    ...     loans=[LoanTerms("ifi_loan", 600.0, 0.05, 2)],
    ...     residual_shares={"city_budget": 1.0}))
    >>> p.sources["city_budget"].tolist(), p.debt_service.round(2).tolist()
    ([400.0, 0.0, 0.0], [0.0, 322.68, 322.68])
    >>> round(p.min_dscr, 4)
    1.2396
    """
    capex = _series(inputs.capex, len(inputs.capex), "capex", "capex")
    n = capex.size
    if n == 0 or np.any(capex < 0) or capex.sum() <= 0:
        raise PlanInputError(
            "the project has no capex to finance; enter its capex in the cash flows", "capex"
        )
    cfads = _series(inputs.cfads, n, "CFADS", "cfads")
    years = inputs.start_year + np.arange(n)
    _check_scalars(inputs)
    _check_shares(inputs.residual_shares)
    spread = capex / capex.sum()

    kinds = [loan.kind for loan in inputs.loans]
    for kind in kinds:
        if kind not in LOAN_KINDS or kinds.count(kind) > 1:
            raise PlanInputError(f"loans must be one each of {LOAN_KINDS}, not {kinds}", "loans")
    loans = tuple(loan_schedule(t, t.amount * spread, years=n) for t in inputs.loans)

    sources = {kind: np.zeros(n) for kind in SOURCE_KINDS}
    for kind, values in inputs.sources.items():
        if kind not in CASH_KINDS:
            raise PlanInputError(f"{kind!r} is not a cash source; use one of {CASH_KINDS}", kind)
        sources[kind] = _series(values, n, kind.replace("_", " "), kind)
        if np.any(sources[kind] < 0):
            raise PlanInputError(f"{kind.replace('_', ' ')}: enter amounts >= 0", kind)
    for kind, total in inputs.grant_totals.items():
        if kind not in GRANT_KINDS or not np.isfinite(total) or total < 0:
            raise PlanInputError(f"a grant total of {total!r} for {kind!r} is not usable", kind)
        sources[kind] = total * spread
    for schedule in loans:
        sources[schedule.terms.kind] = schedule.drawdown

    zeros = np.zeros(n)
    service = sum((s.service for s in loans), zeros)
    uses = {
        "capex": capex,
        "idc": sum((s.idc for s in loans), zeros),
        "fees": sum((s.fee for s in loans), zeros),
        "dsra": zeros.copy(),
    }
    live = [s for s in loans if s.maturity_year >= 0]
    if inputs.dsra_share and live:
        first = min(s.first_service_year for s in live)
        uses["dsra"][max(first - 1, 0)] = inputs.dsra_share * service[first]

    total_uses = np.sum(list(uses.values()), axis=0)
    tol = max(0.01, 1e-9 * float(total_uses.sum()))
    if inputs.residual_shares:
        rest = total_uses - sum(
            (v for k, v in sources.items() if k not in inputs.residual_shares), zeros
        )
        if np.any(rest < -tol):  # only the surplus: the rest is what sizing fills
            raise UnbalancedPlanError(
                _gap_message(years, np.minimum(rest, 0.0), inputs.currency, tol),
                {int(years[t]): float(rest[t]) for t in np.flatnonzero(rest < -tol)},
            )
        for kind, share in inputs.residual_shares.items():
            sources[kind] = np.clip(rest, 0.0, None) * share
    gap = total_uses - np.sum(list(sources.values()), axis=0)
    if np.any(np.abs(gap) > tol):
        raise UnbalancedPlanError(
            _gap_message(years, gap, inputs.currency, tol),
            {int(years[t]): float(gap[t]) for t in np.flatnonzero(np.abs(gap) > tol)},
        )

    outstanding = sum((s.opening for s in loans), zeros)
    if live:
        first = min(s.first_service_year for s in live)
        weights = np.array([s.terms.amount for s in live])
        rate = float(np.dot(weights, [s.terms.rate for s in live]) / weights.sum())
        operating = np.where(np.arange(n) >= first, outstanding, 0.0)
        maturity = max(s.maturity_year for s in live)
        dscr, llcr = cover_ratios(cfads, service, operating, rate, maturity)
    else:
        dscr = llcr = np.full(n, np.nan)

    return FinancingPlan(
        years=years,
        currency=inputs.currency,
        price_base_year=inputs.price_base_year,
        sources=sources,
        uses=uses,
        loans=loans,
        cfads=cfads,
        debt_service=service,
        debt_outstanding=outstanding,
        dscr=dscr,
        llcr=llcr,
        guarantees=float(inputs.guarantees),
        affordability=_affordability(inputs, years, sources, loans),
    )


def _affordability(inputs, years, sources, loans) -> Affordability | None:
    if inputs.city_budget is None:
        return None
    call = sources["city_budget"] + sum(
        (s.service for s in loans if s.terms.city_carries), np.zeros(years.size)
    )
    share = call / inputs.city_budget
    failing = tuple(int(y) for y in years[share > inputs.affordability_threshold + 1e-12])
    return Affordability(
        float(inputs.city_budget), float(inputs.affordability_threshold), call, share, failing
    )
