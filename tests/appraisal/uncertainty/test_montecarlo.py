"""Monte Carlo: distributions, reproducibility, summaries, full-CBA vectorised run."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.analysis.cashflows import ProjectInputs, build_flows
from appraisal.analysis.economic import EconomicInputs
from appraisal.analysis.parameters import get_parameter_set
from appraisal.discounting.batch import irr_many
from appraisal.discounting.metrics import npv
from appraisal.errors import InvalidParameterError
from appraisal.uncertainty.montecarlo import (
    Normal,
    Pert,
    Triangular,
    Uniform,
    cba_models,
    cba_monte_carlo,
    monte_carlo,
    sample_inputs,
    summarise,
)
from appraisal.uncertainty.risk import LineModel

EU = get_parameter_set("EU 2014-2020")


@pytest.mark.parametrize(
    ("dist", "mean", "sd"),
    [
        (Triangular(0.9, 1.0, 1.4), (0.9 + 1.0 + 1.4) / 3, None),
        (Normal(1.0, 0.1), 1.0, 0.1),
        (Uniform(0.8, 1.2), 1.0, 0.4 / np.sqrt(12)),
        (Pert(0.9, 1.0, 1.4), (0.9 + 4 * 1.0 + 1.4) / 6, None),
    ],
)
def test_distributions_have_their_moments(dist, mean, sd):
    x = dist.sample(np.random.default_rng(0), 200_000)
    assert x.mean() == pytest.approx(mean, abs=2e-3)
    if sd is not None:
        assert x.std() == pytest.approx(sd, rel=1e-2)
    if hasattr(dist, "high"):
        assert x.min() >= dist.low and x.max() <= dist.high


@pytest.mark.parametrize(
    "make",
    [
        lambda: Triangular(1.0, 0.5, 2.0),
        lambda: Triangular(1.0, 1.0, 1.0),
        lambda: Normal(0.0, -1.0),
        lambda: Uniform(1.0, 1.0),
        lambda: Pert(0.0, 2.0, 1.0),
        lambda: Pert(0.0, 0.5, 1.0, shape=0.0),
        lambda: Normal(float("nan"), 1.0),
    ],
)
def test_bad_distributions_are_refused(make):
    with pytest.raises(InvalidParameterError):
        make()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_same_seed_same_result(seed):
    m = LineModel({"c": [-100.0, 0.0, 0.0], "r": [0.0, 60.0, 60.0]}, {"c": ["c"], "r": ["r"]})
    dists = {"c": Triangular(0.9, 1.0, 1.3), "r": Pert(0.7, 1.0, 1.1)}
    a = monte_carlo(m, dists, rate=0.05, draws=500, seed=seed, with_irr=True)
    b = monte_carlo(
        m, dict(reversed(dists.items())), rate=0.05, draws=500, seed=seed, with_irr=True
    )
    np.testing.assert_array_equal(a.npv_draws, b.npv_draws)
    np.testing.assert_array_equal(a.irr_draws, b.irr_draws)


def test_summary_statistics():
    x = np.arange(-10.0, 90.0)
    s = summarise(x, percentiles=(5, 50, 95))
    assert s.mean == pytest.approx(39.5) and s.median == pytest.approx(39.5)
    assert s.sd == pytest.approx(np.std(x, ddof=1))
    assert s.p_negative == pytest.approx(0.10)
    assert s.percentiles[95.0] == pytest.approx(np.percentile(x, 95))
    empty = summarise(np.array([np.nan, np.nan]))
    assert empty.count == 0 and empty.undefined == 2 and np.isnan(empty.mean)


def test_monte_carlo_npv_matches_draws():
    m = LineModel({"c": [-100.0, 0.0], "r": [0.0, 121.0]}, {"c": ["c"], "r": ["r"]})
    r = monte_carlo(m, {"r": Uniform(0.5, 1.5)}, rate=0.1, draws=1000, seed=5)
    expected = -100.0 + 121.0 * r.inputs["r"] / 1.1
    np.testing.assert_allclose(r.npv_draws, expected)
    assert r.npv.p_negative == pytest.approx(np.mean(expected < 0))


def _project():
    flows = build_flows(
        ProjectInputs(
            start_year=2026,
            horizon=25,
            capex=[30.0, 50.0],
            fixed_opex=2.0,
            other_revenue=4.0,
            price_base_year=2024,
            asset_life=40,
        )
    )
    years = flows.years
    economic = EconomicInputs(
        benefits={"time": np.where(years >= 2028, 5.0, 0.0)},
        co2_tonnes=np.where(years >= 2028, 0.01, 0.0),
    )
    drivers = {
        "capex": ["capex"],
        "opex": ["fixed_opex"],
        "demand": ["revenue", "benefit:time"],
        "carbon": ["co2"],
    }
    return flows, economic, drivers


def test_cba_monte_carlo_matches_row_by_row_evaluation():
    flows, economic, drivers = _project()
    dists = {
        "capex": Triangular(0.95, 1.0, 1.4),
        "opex": Normal(1.0, 0.1),
        "demand": Pert(0.6, 1.0, 1.2),
        "carbon": Uniform(0.5, 1.5),
    }
    r = cba_monte_carlo(flows, EU, dists, drivers, economic=economic, draws=200, seed=11)
    fin_model, eco_model = cba_models(flows, EU, economic, drivers)
    inputs = sample_inputs(dists, draws=200, seed=11)
    for i in (0, 57, 199):
        row = {k: v[i : i + 1] for k, v in inputs.items()}
        assert r.fnpv_draws[i] == pytest.approx(npv(0.04, fin_model(row)[0]))
        assert r.enpv_draws[i] == pytest.approx(npv(0.05, eco_model(row)[0]))
    np.testing.assert_allclose(r.err_draws, irr_many(eco_model(inputs)), equal_nan=True)
    assert r.enpv.count == 200 and r.price_basis == "EUR, constant 2024 prices"


def test_cba_monte_carlo_refuses_undriven_variables():
    flows, economic, drivers = _project()
    with pytest.raises(InvalidParameterError, match="drive no line"):
        cba_monte_carlo(
            flows, EU, {"weather": Normal(1, 0.1)}, drivers, economic=economic, draws=10, seed=1
        )
    with pytest.raises(InvalidParameterError, match="unknown line"):
        cba_models(flows, EU, economic, {"x": ["benefit:nothing"]})


def test_sample_inputs_validates_draws():
    with pytest.raises(InvalidParameterError, match="draws"):
        sample_inputs({"x": Normal(0, 1)}, draws=1, seed=0)
    with pytest.raises(InvalidParameterError, match="at least one"):
        sample_inputs({}, draws=10, seed=0)
