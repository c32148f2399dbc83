"""The VfM risk register (expected cost, P50, P90) and optimism bias."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.errors import InvalidParameterError
from appraisal.finance.risk_register import (
    Risk,
    optimism_bias,
    optimism_bias_types,
    risk_register,
)


def test_expected_cost_is_probability_times_the_triangular_mean():
    """Exact formula: E = sum p x (low + mode + high) / 3."""
    risks = [
        Risk("ground conditions", 0.2, 50.0, 100.0, 300.0),
        Risk("planning delay", 0.5, 10.0, 20.0, 30.0, transferable=False),
    ]
    r = risk_register(risks, draws=20_000, seed=3)
    assert r.expected == pytest.approx(0.2 * 450 / 3 + 0.5 * 60 / 3)
    assert r.transferable_expected == pytest.approx(30.0)
    assert r.retained_expected == pytest.approx(10.0)


@settings(max_examples=20, deadline=None)
@given(st.floats(0.05, 0.95), st.floats(1.0, 100.0), st.floats(0.0, 200.0))
def test_the_mean_of_the_draws_converges_on_the_expected_cost(p, low, spread):
    """Exact formula checked by simulation: the draws' mean is within 5 standard errors."""
    a, c, b = low, low + spread / 3, low + spread
    r = risk_register([Risk("r", p, a, c, b)], draws=40_000, seed=11)
    mean = (a + b + c) / 3
    var_cost = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    var = p * (var_cost + mean**2) - (p * mean) ** 2  # of the cost times a Bernoulli(p)
    assert abs(r.mean_of_draws - r.expected) <= 5 * np.sqrt(var / 40_000) + 1e-9


def test_p50_and_p90_of_a_certain_and_an_uncertain_risk():
    """Exact figures: a certain cost of 80 is its own P50 and P90; a 30 % chance of 100
    gives P50 = 0 (no cost 70 % of the time) and P90 = 100."""
    certain = risk_register([Risk("fee", 1.0, 80.0, 80.0, 80.0)], draws=1000, seed=1)
    assert (certain.p50, certain.p90) == (80.0, 80.0)
    chance = risk_register([Risk("flood", 0.3, 100.0, 100.0, 100.0)], draws=10_000, seed=1)
    assert (chance.p50, chance.p90) == (0.0, 100.0)


def test_optimism_bias_uplifts_are_the_green_book_table():
    """Published figures: HM Treasury, Supplementary Green Book Guidance: Optimism Bias
    (2003), capital expenditure upper bounds 24 %, 51 %, 44 %, 66 %, 200 %."""
    uppers = {t: optimism_bias(100.0, t).rate for t in optimism_bias_types()}
    assert uppers == {
        "standard_buildings": 0.24,
        "non_standard_buildings": 0.51,
        "standard_civil_engineering": 0.44,
        "non_standard_civil_engineering": 0.66,
        "equipment_development": 2.00,
    }
    assert optimism_bias(1000.0, "standard_civil_engineering", "lower").uplift == pytest.approx(30)


def test_the_optimism_bias_table_is_mott_macdonalds_table_2():
    """Published figures: Mott MacDonald, Review of Large Public Procurement in the UK
    (2002), Table 2: works duration U/L and capital expenditure U/L, in %."""
    import csv
    from importlib import resources

    path = resources.files("appraisal").joinpath("data/optimism_bias.csv")
    with path.open(encoding="utf-8") as handle:
        table = {
            r["project_type"]: [
                round(float(r[k]) * 100)
                for k in (
                    "works_duration_upper",
                    "works_duration_lower",
                    "capex_upper",
                    "capex_lower",
                )
            ]
            for r in csv.DictReader(handle)
        }
    assert table == {
        "non_standard_buildings": [39, 2, 51, 4],
        "standard_buildings": [4, 1, 24, 2],
        "non_standard_civil_engineering": [25, 3, 66, 6],
        "standard_civil_engineering": [20, 1, 44, 3],
        "equipment_development": [54, 10, 200, 10],
    }


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Risk("x", 1.5, 1, 2, 3), "probability"),
        (lambda: Risk("x", 0.5, 3, 2, 1), "low <= most likely <= high"),
        (lambda: optimism_bias(1.0, "bridges"), "standard_buildings"),
        (lambda: risk_register([Risk("a", 0.1, 1, 1, 1)] * 2), "own name"),
        (lambda: risk_register([], draws=10), "draws"),
    ],
)
def test_bad_registers_say_what_is_wrong(make, message):
    with pytest.raises(InvalidParameterError, match=message):
        make()
