"""KPI attainment, bands and roll-ups (U4SSC scoring)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.analysis.kpi_gaps import assess, attainment, band, gap_closure, rollup
from appraisal.errors import InvalidParameterError


@pytest.mark.parametrize(
    ("value", "target", "direction", "unit", "expected"),
    [
        (30, 60, "higher", "%", 0.5),
        (120, 60, "higher", "%", 1.0),  # capped
        (20, 10, "lower", "µg/m3", 0.5),  # PM2.5 twice the WHO guideline
        (5, 10, "lower", "µg/m3", 1.0),
        (4.27, 0, "lower", "%", 0.9573),  # zero target: difference, not a ratio
        (0.64, 1.0, "target", "ratio", 0.64),
        (1.36, 1.0, "target", "ratio", 0.64),  # symmetric around the target
        (1.0, 1.0, "boolean", "yes/no", 1.0),
        (0.0, 1.0, "boolean", "yes/no", 0.0),
        (50, 65, "mixed", "%", 50 / 65),
    ],
)
def test_attainment_is_direction_aware(value, target, direction, unit, expected):
    share, reason = attainment(value, target, direction, unit=unit)
    assert share == pytest.approx(expected, abs=1e-4)
    assert reason


def test_missing_data_gets_no_band_and_says_why():
    assert attainment(None, 10, "higher") == (None, "no value recorded")
    assert attainment(10, None, "higher")[1].startswith("no target set")
    assert attainment(3, 0, "lower", unit="tonnes")[0] is None


def test_unknown_direction_is_refused():
    with pytest.raises(InvalidParameterError, match="unknown direction"):
        attainment(1, 1, "sideways")


@pytest.mark.parametrize(
    ("share", "points"),
    [(0.0, 1), (0.3299, 1), (0.33, 2), (0.6599, 2), (0.66, 3), (0.9499, 3), (0.95, 4), (1.0, 4)],
)
def test_band_edges(share, points):
    assert band(share) == points


@given(
    st.floats(0, 1e6, allow_nan=False),
    st.floats(0.01, 1e6, allow_nan=False),
    st.sampled_from(["higher", "lower", "target", "boolean", "mixed"]),
)
def test_attainment_always_in_unit_interval(value, target, direction):
    share, _ = attainment(value, target, direction, unit="%")
    assert share is None or 0.0 <= share <= 1.0


def test_rollup_counts_points_over_the_maximum_and_skips_unscored():
    frame = assess(
        [
            {"code": "A", "value": 10, "target": 100, "direction": "higher", "category": "ICT"},
            {"code": "B", "value": 100, "target": 100, "direction": "higher", "category": "ICT"},
            {"code": "C", "value": None, "target": 100, "direction": "higher", "category": "ICT"},
        ]
    )
    table = rollup(frame, "category")
    row = table.loc["ICT"]
    assert (row["points"], row["max_points"], row["kpis_scored"], row["kpis"]) == (5, 8, 2, 3)
    assert row["score"] == pytest.approx(5 / 8)
    assert row["mean_gap"] == pytest.approx(0.45)


def test_gap_closure_weights_by_gap_size():
    assert gap_closure(["A", "A", "B"], {"A": 0.5, "B": None}) == 0.5


def test_rollup_of_nothing_is_an_empty_table():
    table = rollup(assess([]), "category")
    assert table.empty and "score" in table.columns
