"""The financing plan: loans, sources and uses per year, cover ratios, affordability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.errors import PlanInputError, UnbalancedPlanError
from appraisal.finance import LoanTerms, PlanInputs, financing_plan, loan_schedule
from appraisal.finance.ppp import sculpt_debt


def test_published_annuity_schedule_numpy_docs():
    # numpy's ipmt documentation ("amortization schedule for a 1 year loan of $2500 at
    # 8.24% interest per year compounded monthly"), https://numpy.org/doc/1.17/reference/
    # generated/numpy.ipmt.html: principal and interest of each of the 12 monthly payments
    # and the balance after it. Periods here are months; drawn in period 0.
    principal = [200.58, 201.96, 203.35, 204.74, 206.15, 207.56,
                 208.99, 210.42, 211.87, 213.32, 214.79, 216.26]  # fmt: skip
    interest = [17.17, 15.79, 14.40, 13.01, 11.60, 10.18, 8.76, 7.32, 5.88, 4.42, 2.96, 1.49]
    balance = [2299.42, 2097.46, 1894.11, 1689.37, 1483.22, 1275.66,
               1066.67, 856.25, 644.38, 431.05, 216.26, 0.0]  # fmt: skip
    s = loan_schedule(LoanTerms("ifi_loan", 2500.0, 0.0824 / 12, 12), [2500.0], years=13)
    assert s.principal[1:].round(2).tolist() == principal
    assert s.interest[1:].round(2).tolist() == interest
    assert s.closing[1:].round(2).tolist() == balance


def test_hand_computed_plan():
    # Capex 600 in 2025 and 400 in 2026; operation from 2027 (years 2..5).
    # IFI loan 500 at 4 %, tenor 4, grace 1, linear, fee 1 %, drawn pro rata to capex:
    #   drawdowns 300 (2025), 200 (2026); IDC: 2025 = 0, 2026 = 4 % x 300 = 12.
    #   Fee 1 % x 500 = 5 in 2025. Service from 2027 on a balance of 500:
    #   2027 (grace): interest 20, no principal  -> 20
    #   2028: 20 + 500/3 = 186.667; 2029: 4 % x 333.333 + 166.667 = 180;
    #   2030: 4 % x 166.667 + 166.667 = 173.333.
    # DSRA 50 % of the first year's service (20) = 10, in 2026.
    # Uses: 2025 = 600 + 0 + 5 = 605; 2026 = 400 + 12 + 10 = 422.
    # EU grant 300 spread pro rata: 180, 120. Equity 50 in 2025.
    # Remainder: 2025 = 605 - 300 - 180 - 50 = 75; 2026 = 422 - 200 - 120 = 102,
    #   split 60 % city budget (45, 61.2) and 40 % national grant (30, 40.8).
    # CFADS 200 a year: DSCR = 10, 1.0714, 1.1111, 1.1538.
    # LLCR 2030 = (200 / 1.04) / 166.667 = 1.1538.
    # City budget 1,000/year; the city carries the loan: call 2025 = 45, 2026 = 61.2,
    #   2027 = 20, 2028 = 186.667 (18.7 % > 15 %), 2029 = 180 (18 %), 2030 = 17.3 %.
    p = financing_plan(
        PlanInputs(
            capex=[600, 400, 0, 0, 0, 0],
            cfads=[0, 0, 200, 200, 200, 200],
            currency="EUR",
            price_base_year=2024,
            start_year=2025,
            loans=[
                LoanTerms(
                    "ifi_loan",
                    500.0,
                    0.04,
                    4,
                    grace=1,
                    profile="linear",
                    upfront_fee=0.01,
                    city_carries=True,
                )  # fmt: skip
            ],
            sources={"equity": [50, 0, 0, 0, 0, 0]},
            grant_totals={"eu_grant": 300.0},
            residual_shares={"city_budget": 0.6, "national_grant": 0.4},
            dsra_share=0.5,
            city_budget=1000.0,
            affordability_threshold=0.15,
        )
    )
    assert p.uses["idc"].tolist() == pytest.approx([0, 12, 0, 0, 0, 0])
    assert p.uses["fees"].tolist() == pytest.approx([5, 0, 0, 0, 0, 0])
    assert p.uses["dsra"].tolist() == pytest.approx([0, 10, 0, 0, 0, 0])
    assert p.sources["ifi_loan"].tolist() == pytest.approx([300, 200, 0, 0, 0, 0])
    assert p.sources["city_budget"].tolist() == pytest.approx([45, 61.2, 0, 0, 0, 0])
    assert p.sources["national_grant"].tolist() == pytest.approx([30, 40.8, 0, 0, 0, 0])
    assert p.total_sources.tolist() == pytest.approx(p.total_uses.tolist())
    assert p.debt_service.tolist() == pytest.approx([0, 0, 20, 500 / 3 + 20, 180, 520 / 3])
    assert p.dscr[2:].tolist() == pytest.approx(
        [10, 200 / (500 / 3 + 20), 200 / 180, 200 / (520 / 3)]
    )
    assert math.isnan(p.dscr[0])
    assert p.llcr[5] == pytest.approx((200 / 1.04) / (500 / 3))
    assert p.min_dscr == pytest.approx(200 / (500 / 3 + 20))
    a = p.affordability
    assert a.call.tolist() == pytest.approx([45, 61.2, 20, 500 / 3 + 20, 180, 520 / 3])
    assert a.failing_years == (2028, 2029, 2030)
    assert not a.affordable


def test_llcr_and_dscr_reuse_the_ppp_ratios():
    # A level annuity's DSCR and LLCR match sculpt_debt's on the same service.
    p = financing_plan(
        PlanInputs(
            capex=[1000, 0, 0, 0],
            cfads=[0, 130, 130, 130],
            currency="EUR",
            price_base_year=2024,
            loans=[LoanTerms("commercial_loan", 272.3248, 0.05, 3)],
            residual_shares={"equity": 1.0},
        )  # fmt: skip
    )
    d = sculpt_debt([130.0] * 3, rate=0.05, target_dscr=1.3)
    assert p.dscr[1:] == pytest.approx(d.dscr, rel=1e-6)
    assert p.llcr[1:] == pytest.approx(d.llcr, rel=1e-6)


def _plan(**changes):
    base = {
        "capex": [100, 100, 0, 0, 0],
        "cfads": [0, 0, 50, 50, 50],
        "currency": "EUR",
        "price_base_year": 2024,
        "start_year": 2030,
        "sources": {"eu_grant": [60, 60, 0, 0, 0], "city_budget": [40, 40, 0, 0, 0]},
    }
    return financing_plan(PlanInputs(**(base | changes)))


def test_a_plan_given_year_by_year_balances():
    assert _plan().total_sources.tolist() == [100, 100, 0, 0, 0]


def test_shortfall_names_the_years_and_amounts():
    with pytest.raises(UnbalancedPlanError, match=r"short of uses in 2031 \(EUR 30.00\)") as e:
        _plan(sources={"eu_grant": [60, 30, 0, 0, 0], "city_budget": [40, 40, 0, 0, 0]})
    assert e.value.shortfall == {2031: 30.0}


def test_a_sized_plan_with_a_surplus_names_only_the_surplus_years():
    with pytest.raises(UnbalancedPlanError, match=r"exceed uses in 2031") as e:
        _plan(
            sources={"eu_grant": [0, 150, 0, 0, 0]},
            residual_shares={"city_budget": 1.0},
        )
    assert "short" not in str(e.value)
    assert e.value.gaps == {2031: -50.0}


def test_surplus_is_unbalanced_too():
    with pytest.raises(UnbalancedPlanError, match=r"exceed uses in 2030"):
        _plan(sources={"eu_grant": [90, 60, 0, 0, 0], "city_budget": [40, 40, 0, 0, 0]})


@pytest.mark.parametrize(
    ("terms", "field", "words"),
    [
        ({"tenor": -2}, "ifi_loan_tenor", "give 1 to 60 years"),
        ({"tenor": 3, "grace": 3}, "ifi_loan_grace", "shorter than the tenor"),
        ({"rate": -0.06}, "ifi_loan_rate", "outside -5 % to 50 %"),
        ({"rate": 0.55}, "ifi_loan_rate", "outside -5 % to 50 %"),
        ({"profile": "bullet"}, "ifi_loan_profile", "not one of"),
        ({"tenor": 9}, "ifi_loan_tenor", "runs past the project's last year"),
    ],
)
def test_bad_loan_terms_name_their_field(terms, field, words):
    loan = LoanTerms(**({"kind": "ifi_loan", "amount": 50.0, "rate": 0.03, "tenor": 2} | terms))
    with pytest.raises(PlanInputError, match=words) as e:
        _plan(loans=[loan], residual_shares={"city_budget": 1.0})
    assert e.value.field == field


def test_shares_that_do_not_add_up():
    with pytest.raises(PlanInputError, match="add up to 90 %") as e:
        _plan(residual_shares={"city_budget": 0.5, "equity": 0.4})
    assert e.value.field == "residual_shares"


def test_a_negative_rate_gives_interest_during_construction_that_lowers_the_uses():
    # 100 at -1 % drawn 50 + 50: in 2031 the lender pays 1 % x 50 = 0.5, so the uses of
    # 2031 are 100 - 0.5 and the city budget covers 99.5 - 50 = 49.5.
    loan = LoanTerms("ifi_loan", 100.0, -0.01, 3)
    p = _plan(sources={}, loans=[loan], residual_shares={"city_budget": 1.0})
    assert p.uses["idc"].tolist() == pytest.approx([0, -0.5, 0, 0, 0])
    assert p.sources["city_budget"].tolist() == pytest.approx([50, 49.5, 0, 0, 0])
    # Financed by loans alone, the money received in 2031 is a surplus the plan names.
    with pytest.raises(UnbalancedPlanError, match=r"exceed uses in 2031 \(EUR 1.00\)"):
        _plan(sources={}, loans=[LoanTerms("ifi_loan", 200.0, -0.01, 3)])


def test_guarantees_are_kept_but_are_no_source():
    p = _plan(guarantees=500.0)
    assert p.guarantees == 500.0
    assert "guarantees" not in p.sources


amounts = st.floats(0, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    capex=st.lists(amounts, min_size=1, max_size=4).filter(lambda c: sum(c) > 1),
    loan_share=st.floats(0, 0.45),  # with grants of at most half: no surplus to size away
    # a negative rate's IDC is money received, which a year without capex cannot use
    rate=st.floats(0, 0.5),
    tenor=st.integers(1, 10),
    grace=st.integers(0, 9),
    profile=st.sampled_from(["annuity", "linear"]),
    grant_share=st.floats(0, 0.5),
    dsra=st.floats(0, 1),
)
def test_sized_plan_balances_and_loans_are_repaid(
    capex, loan_share, rate, tenor, grace, profile, grant_share, dsra
):
    grace = min(grace, tenor - 1)
    total = sum(capex)
    loan = LoanTerms("ifi_loan", total * loan_share, rate, tenor, grace, profile, 0.01)
    p = financing_plan(
        PlanInputs(
            capex=capex + [0.0] * tenor,
            cfads=[0.0] * len(capex) + [total / tenor] * tenor,
            currency="EUR",
            price_base_year=2024,
            loans=[loan],
            grant_totals={"eu_grant": total * grant_share},
            residual_shares={"city_budget": 0.7, "equity": 0.3},
            dsra_share=dsra,
        )
    )
    assert np.allclose(p.total_sources, p.total_uses, rtol=1e-9, atol=1e-6)
    s = p.loans[0]
    assert abs(s.closing[-1]) <= 1e-6 * max(1.0, loan.amount)
    assert s.principal.sum() == pytest.approx(loan.amount, rel=1e-9, abs=1e-6)
