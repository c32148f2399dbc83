"""Availability payments sized in closed form for many rows equal Brent's search, row by row."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.errors import AppraisalError
from appraisal.finance.ppp import size_availability_payment
from appraisal.finance.ppp_batch import sculpt_rows, size_availability_payments


@settings(max_examples=60, deadline=None)
@given(
    capex=st.lists(st.floats(1e5, 1e8), min_size=1, max_size=2),
    opex=st.floats(1e3, 5e6),
    spike=st.floats(0.0, 3.0),
    years=st.integers(5, 30),
    target=st.floats(0.04, 0.15),
    debt_rate=st.floats(0.01, 0.08),
    dscr=st.floats(1.05, 1.6),
    gearing=st.one_of(st.just(0.0), st.floats(0.01, 1.0)),
    indexation=st.floats(0.0, 0.03),
)
def test_closed_form_payment_and_debt_equal_the_scalar_search(
    capex, opex, spike, years, target, debt_rate, dscr, gearing, indexation
):
    running = np.full(years, opex)
    running[years // 2] *= 1 + spike  # a replacement year
    one = np.ones(1)
    sized = size_availability_payments(
        np.array([capex]),
        running[None, :],
        target_irr=target * one,
        debt_rate=debt_rate * one,
        target_dscr=dscr * one,
        gearing=gearing * one,
        indexation=indexation * one,
    )
    kw = {"debt_rate": debt_rate, "target_dscr": dscr, "gearing": gearing}
    try:
        ap = size_availability_payment(
            capex, running.tolist(), target_irr=target, indexation=indexation, **kw
        )
    except AppraisalError as error:
        assert not sized.ok[0]
        assert sized.covered[0] == ("only covers opex" in str(error))
        return
    assert sized.ok[0]
    assert sized.payment[0] == pytest.approx(ap.first_year_payment, rel=1e-9)
    debt = sculpt_rows(
        sized.cfads,
        rate=debt_rate * one,
        target_dscr=dscr * one,
        cap=gearing * sum(capex) * one,
    )
    want = ap.finance.debt
    assert debt.amount[0] == pytest.approx(want.amount, rel=1e-9, abs=1e-6)
    np.testing.assert_allclose(debt.service[0], want.service, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(debt.dscr[0], want.dscr, rtol=1e-9)
    np.testing.assert_allclose(debt.llcr[0], want.llcr, rtol=1e-9)
