"""PPP: value for money, sculpted debt and cover ratios, availability payment sizing."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.discounting.metrics import irr, npv
from appraisal.errors import InvalidCashflowError, InvalidParameterError, InvalidRateError
from appraisal.finance.ppp import (
    project_finance,
    sculpt_debt,
    size_availability_payment,
    value_for_money,
)


def _vfm(**kw):
    args = {
        "raw_cost": [500.0] + [40.0] * 20,
        "competitive_neutrality": [0.0] + [3.0] * 20,
        "transferable_risk": [60.0] + [5.0] * 20,
        "retained_risk": [10.0] + [1.0] * 20,
        "shadow_bid": [0.0] + [90.0] * 20,
        "rate": 0.04,
        "currency": "EUR",
        "price_base_year": 2024,
    }
    return value_for_money(**(args | kw))


def test_vfm_is_psc_minus_ppp_as_present_cost():
    v = _vfm()
    psc = sum(
        npv(0.04, x)
        for x in (
            [500.0] + [40.0] * 20,
            [0.0] + [3.0] * 20,
            [60.0] + [5.0] * 20,
            [10.0] + [1.0] * 20,
        )
    )
    ppp = npv(0.04, [0.0] + [90.0] * 20) + npv(0.04, [10.0] + [1.0] * 20)
    assert v.psc.amount == pytest.approx(psc) and v.ppp.amount == pytest.approx(ppp)
    assert v.vfm.amount == pytest.approx(psc - ppp)
    assert v.vfm_share == pytest.approx((psc - ppp) / psc)
    assert set(v.psc_components) == {
        "raw cost",
        "competitive neutrality",
        "transferable risk",
        "retained risk",
    }
    assert ("favours the PPP" if v.favours_ppp else "favours public delivery") in str(v)


def test_ppp_retained_risk_can_differ():
    v = _vfm(ppp_retained_risk=[20.0] + [2.0] * 20)
    assert v.ppp_components["retained risk"].amount > v.psc_components["retained risk"].amount


def test_vfm_errors():
    with pytest.raises(InvalidRateError):
        _vfm(rate=-1.0)
    with pytest.raises(InvalidCashflowError, match="empty"):
        _vfm(shadow_bid=[])
    with pytest.raises(InvalidCashflowError, match="positive public cost"):
        _vfm(
            raw_cost=[0.0],
            competitive_neutrality=[0.0],
            transferable_risk=[0.0],
            retained_risk=[0.0],
        )


def test_sculpted_debt_on_flat_cfads_is_an_annuity():
    d = sculpt_debt([130.0] * 15, rate=0.06, target_dscr=1.3)
    annuity_factor = (1 - 1.06**-15) / 0.06  # present value of 1 a year for 15 years
    assert d.amount == pytest.approx(100.0 * annuity_factor)
    assert d.closing[-1] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(d.principal + d.interest, d.service)


@given(
    st.lists(st.floats(1.0, 1e4), min_size=2, max_size=30),
    st.floats(0.0, 0.15),
    st.floats(1.05, 2.0),
)
def test_sculpting_invariants(cfads, rate, dscr):
    d = sculpt_debt(cfads, rate=rate, target_dscr=dscr)
    np.testing.assert_allclose(d.dscr, dscr, rtol=1e-9)
    np.testing.assert_allclose(d.llcr, dscr, rtol=1e-9)  # LLCR = DSCR when fully sculpted
    assert np.all(d.plcr >= d.llcr - 1e-9)
    assert abs(d.closing[-1]) <= 1e-6 * max(1.0, d.amount)
    assert npv(rate, [0.0, *d.service]) == pytest.approx(d.amount, rel=1e-9)


def test_tenor_shorter_than_operation_gives_plcr_above_llcr():
    d = sculpt_debt([100.0] * 20, rate=0.05, target_dscr=1.25, tenor=12)
    assert np.all(d.service[12:] == 0.0)
    assert d.plcr[0] > d.llcr[0] == pytest.approx(1.25)


def test_smaller_amount_keeps_the_shape_and_raises_dscr():
    full = sculpt_debt([100.0, 150.0, 120.0], rate=0.05, target_dscr=1.3)
    half = sculpt_debt([100.0, 150.0, 120.0], rate=0.05, target_dscr=1.3, amount=full.amount / 2)
    np.testing.assert_allclose(half.service, full.service / 2)
    assert half.min_dscr == pytest.approx(2.6)
    with pytest.raises(InvalidParameterError, match="supports"):
        sculpt_debt([100.0], rate=0.05, target_dscr=1.3, amount=1e6)


def test_sculpting_errors():
    with pytest.raises(InvalidCashflowError, match="negative"):
        sculpt_debt([100.0, -5.0], rate=0.05, target_dscr=1.3)
    with pytest.raises(InvalidParameterError, match="target_dscr"):
        sculpt_debt([100.0], rate=0.05, target_dscr=0.0)
    with pytest.raises(InvalidParameterError, match="tenor"):
        sculpt_debt([100.0], rate=0.05, target_dscr=1.3, tenor=2)
    with pytest.raises(InvalidCashflowError, match="NaN"):
        sculpt_debt([np.nan], rate=0.05, target_dscr=1.3)


def test_project_finance_caps_debt_at_gearing_and_splits_flows():
    pf = project_finance([400.0, 600.0], [130.0] * 20, debt_rate=0.05, target_dscr=1.3, gearing=0.7)
    assert pf.debt.amount == pytest.approx(700.0)
    np.testing.assert_allclose(pf.debt_drawdown + pf.equity_contribution, [400.0, 600.0])
    assert pf.project_irr == pytest.approx(irr(pf.project_flows))
    assert pf.equity_irr == pytest.approx(irr(pf.equity_flows))
    assert pf.equity_irr > pf.project_irr > 0.05  # leverage at a lower cost lifts equity returns


def test_uncapped_gearing_uses_the_full_sculpted_debt():
    pf = project_finance([1000.0], [100.0] * 10, debt_rate=0.05, target_dscr=1.3, gearing=1.0)
    assert pf.debt.min_dscr == pytest.approx(1.3)


@pytest.mark.parametrize("target", ["equity", "project"])
def test_availability_payment_hits_the_target_irr(target):
    ap = size_availability_payment(
        [300.0, 700.0],
        [25.0] * 25,
        target_irr=0.09,
        debt_rate=0.045,
        target_dscr=1.3,
        gearing=0.85,
        target=target,
        indexation=0.02,
    )
    flows = ap.finance.equity_flows if target == "equity" else ap.finance.project_flows
    assert irr(flows) == pytest.approx(0.09, abs=1e-9)
    np.testing.assert_allclose(ap.payments, ap.first_year_payment * 1.02 ** np.arange(25))
    assert ap.finance.debt.min_dscr >= 1.3 - 1e-9


def test_availability_payment_errors():
    with pytest.raises(InvalidParameterError, match="'equity' or 'project'"):
        size_availability_payment(
            [1.0],
            [1.0],
            target_irr=0.1,
            debt_rate=0.05,
            target_dscr=1.3,
            gearing=0.8,
            target="debt",
        )
    with pytest.raises(InvalidParameterError, match="gearing"):
        project_finance([1.0], [1.0], debt_rate=0.05, target_dscr=1.3, gearing=1.5)
