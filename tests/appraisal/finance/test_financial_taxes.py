"""VAT, working capital and profit tax in the financial analysis (exact formulas)."""

import numpy as np
import pytest

from appraisal.analysis.cashflows import ProjectInputs, build_flows
from appraisal.analysis.cba import Financing, appraise, financial_analysis
from appraisal.analysis.parameters import get_parameter_set
from appraisal.errors import InvalidParameterError
from appraisal.finance.financial_taxes import FinancialTerms, profit_tax, taxed_flows, vat_adjusted
from appraisal.finance.taxed_analysis import after_tax, financial_with_terms, with_terms

EU = get_parameter_set("EU 2014-2020")


def _flows():
    return build_flows(ProjectInputs(2025, 6, [1200.0], fixed_opex=120.0, other_revenue=480.0))


@pytest.mark.parametrize(
    ("recoverable", "gross", "capex", "revenue"),
    [(True, True, 1000.0, 400.0), (False, True, 1200.0, 480.0),
     (True, False, 1200.0, 480.0), (False, False, 1440.0, 480.0)],
)  # fmt: skip
def test_vat_makes_costs_net_when_recovered_and_gross_when_not(recoverable, gross, capex, revenue):
    """Exact formula (EU CBA Guide 2014, section 2.5): divide by or multiply by 1.2."""
    g = vat_adjusted(_flows(), FinancialTerms(0.2, recoverable, gross))
    assert g.capex[0] == pytest.approx(capex) and g.revenue[1] == pytest.approx(revenue)


def test_working_capital_costs_its_time_value_and_is_recovered():
    """Exact formula: WC = revenue x 30/365 - opex x 20/365, invested in year 1 and
    recovered in the last year, so FNPV/C falls by WC/1.04 - WC/1.04^5."""
    f = _flows()
    t = taxed_flows(f, FinancialTerms(receivable_days=30, payable_days=20))
    wc = 480 * 30 / 365 - 120 * 20 / 365
    assert t.working_capital.investment.sum() == pytest.approx(0, abs=1e-12)
    r = financial_with_terms(t, EU, Financing())
    plain = financial_analysis(f, EU, financing=Financing())
    assert r.fnpv_c.amount - plain.fnpv_c.amount == pytest.approx(-wc / 1.04 + wc / 1.04**5)
    assert r.funding_gap.rate == pytest.approx(plain.funding_gap.rate)  # not in the gap


def test_profit_tax_is_rate_times_profit_after_straight_line_depreciation():
    """Exact formula: tax = 25 % x max(0, 480 - 120 - 1200/10) = 60 a year."""
    t = profit_tax(_flows(), 0.25, 10)
    assert t.depreciation.tolist() == [0.0] + [120.0] * 5
    assert t.tax.tolist() == [0.0] + [60.0] * 5


def test_tax_counts_in_sustainability_and_after_tax_fnpv_k_only():
    """FNPV/K before tax is unchanged by the tax; after tax it falls by the PV of it."""
    f = _flows()
    financing = Financing(national_public=[1200.0, 0, 0, 0, 0, 0])
    t = taxed_flows(f, FinancialTerms(profit_tax_rate=0.25, tax_life=10))
    r = financial_with_terms(t, EU, financing)
    plain = financial_analysis(f, EU, financing=financing)
    assert r.fnpv_k.amount == pytest.approx(plain.fnpv_k.amount)
    assert r.sustainability.cumulated[-1] == pytest.approx(
        plain.sustainability.cumulated[-1] - 300.0
    )
    k = after_tax(t, financing, 0.04)
    tax_pv = sum(60.0 / 1.04**y for y in range(1, 6))
    assert k.fnpv_k == pytest.approx(plain.fnpv_k.amount - tax_pv)


def test_with_terms_keeps_the_economic_analysis_and_redoes_the_verdict():
    f = _flows()
    a = appraise(f, EU, financing=Financing())
    t = taxed_flows(f, FinancialTerms(0.25, vat_recoverable=False, receivable_days=60))
    b = with_terms(a, t, EU, Financing())
    assert b.economic is a.economic
    assert b.financial.fnpv_c.amount < a.financial.fnpv_c.amount
    assert np.isfinite(b.financial.fnpv_c.amount) and b.verdict.reasons


@pytest.mark.parametrize(
    "terms",
    [{"vat_rate": 1.5}, {"vat_rate": True}, {"profit_tax_rate": -0.1}, {"tax_life": 0}],
)
def test_bad_terms_are_refused_with_their_reason(terms):
    with pytest.raises(InvalidParameterError, match=next(iter(terms))):
        FinancialTerms(**terms)
