"""Working capital: level, yearly investment and recovery."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.analysis.cashflows import ProjectInputs, build_flows
from appraisal.errors import InvalidParameterError
from appraisal.finance.working_capital import working_capital


def _flows(growth=0.0):
    return build_flows(
        ProjectInputs(
            2025, 8, [500.0], fixed_opex=100.0, other_revenue=365.0, revenue_growth=growth
        )
    )


def test_level_is_days_of_revenue_and_opex():
    """Exact formula: WC = revenue x receivable days / 365 + opex x (stock - payable) / 365."""
    w = working_capital(_flows(0.1), receivable_days=45, stock_days=10, payable_days=30)
    f = _flows(0.1)
    np.testing.assert_allclose(w.level, (f.revenue * 45 + f.opex * (10 - 30)) / 365)
    np.testing.assert_allclose(w.investment[1:-1], np.diff(w.level)[:-1])


@settings(max_examples=30)
@given(st.floats(0, 365), st.floats(0, 365), st.floats(0, 365), st.floats(-0.1, 0.2))
def test_the_investment_adds_up_to_zero_undiscounted(recv, stock, pay, growth):
    """Exact identity: every unit tied up is recovered by the end of the period."""
    w = working_capital(_flows(growth), receivable_days=recv, stock_days=stock, payable_days=pay)
    assert w.investment.sum() == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("days", [-1, 400, float("nan"), "30"])
def test_days_must_be_between_0_and_365(days):
    with pytest.raises(InvalidParameterError, match="receivable_days"):
        working_capital(_flows(), receivable_days=days)
