"""The financial analysis of :func:`appraisal.analysis.cba.financial_analysis` on flows
with VAT, working capital and profit tax (:mod:`appraisal.finance.financial_taxes`).

FNPV/C and FNPV/K are before direct tax (the EU CBA Guide 2014, section 2.5, recalled),
with the working capital among the costs; the sustainability test counts the working
capital and the tax; FNPV/K after tax is the return on capital of an operator that pays
profit tax (the private side).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from appraisal.analysis.cba import (
    Appraisal,
    FinancialResult,
    Financing,
    Sustainability,
    financial_analysis,
    verdict,
)
from appraisal.analysis.economic import irr_or_reason
from appraisal.analysis.money import Money
from appraisal.analysis.parameters import ParameterSet
from appraisal.discounting.metrics import npv
from appraisal.finance.financial_taxes import TaxedFlows

__all__ = ["AfterTax", "after_tax", "financial_with_terms", "with_terms"]


def _k_flow(taxed: TaxedFlows, financing: Financing) -> np.ndarray:
    f, n = taxed.flows, taxed.flows.years.size
    return (
        f.revenue
        + f.residual
        - f.opex
        - f.replacement
        - taxed.working_capital.investment
        - financing.line("national_public", n)
        - financing.line("own_capital", n)
        - financing.line("loan_service", n)
    )


def financial_with_terms(
    taxed: TaxedFlows,
    params: ParameterSet,
    financing: Financing,
    inflation: float | None = None,
) -> FinancialResult:
    """FNPV/C, FRR/C, FNPV/K, FRR/K (before tax, with working capital), the
    sustainability (with working capital and tax) and the funding gap (VAT-adjusted).

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> from appraisal.finance.financial_taxes import FinancialTerms, taxed_flows
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=36.5, other_revenue=73.0))
    >>> t = taxed_flows(f, FinancialTerms(receivable_days=30, payable_days=20))
    >>> r = financial_with_terms(t, get_parameter_set("EU 2014-2020"), Financing())
    >>> round(r.fnpv_c.amount - financial_analysis(f, get_parameter_set("EU 2014-2020"))
    ...       .fnpv_c.amount, 4)  # -4/1.04 + 4/1.04**3: the time value of the 4 tied up
    -0.2902
    """
    base = financial_analysis(taxed.flows, params, financing=financing, inflation=inflation)
    rate = base.financial_discount_rate
    f = taxed.flows

    def money(x: float) -> Money:
        return Money(float(x), f.currency, f.price_base_year, f.nominal)

    net = taxed.net
    frr_c, frr_c_note = irr_or_reason(net)
    k = _k_flow(taxed, financing)
    frr_k, frr_k_note = irr_or_reason(k)
    cumulated = base.sustainability.cumulated - np.cumsum(taxed.extra_costs)
    scale = max(1.0, float(np.abs(f.revenue).max()), float(np.abs(f.capex).max()))
    failing = tuple(int(y) for y in f.years[cumulated < -1e-9 * scale])
    return replace(
        base,
        fnpv_c=money(npv(rate, net)),
        frr_c=frr_c,
        frr_c_note=frr_c_note,
        fnpv_k=money(npv(rate, k)),
        frr_k=frr_k,
        frr_k_note=frr_k_note,
        sustainability=Sustainability(
            cumulated=cumulated,
            failing_years=failing,
            operating_support=base.sustainability.operating_support,
        ),
    )


def with_terms(
    a: Appraisal,
    taxed: TaxedFlows,
    params: ParameterSet,
    financing: Financing,
    inflation: float | None = None,
) -> Appraisal:
    """The appraisal with its financial part on the taxed flows and the verdict again
    (the economic analysis is left as it was: VAT, working capital and profit tax are
    transfers or financial items, not resources)."""
    fin = financial_with_terms(taxed, params, financing, inflation)
    return replace(a, financial=fin, verdict=verdict(fin, a.economic))


@dataclass(frozen=True)
class AfterTax:
    fnpv_k: float
    frr_k: float | None
    frr_k_note: str
    k_flow: np.ndarray


def after_tax(taxed: TaxedFlows, financing: Financing, rate: float) -> AfterTax:
    """FNPV/K and FRR/K after the profit tax: the return on the operator's capital."""
    k = _k_flow(taxed, financing) - taxed.tax.tax
    frr, note = irr_or_reason(k)
    return AfterTax(fnpv_k=npv(rate, k), frr_k=frr, frr_k_note=note, k_flow=k)
