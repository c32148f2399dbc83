"""daycount: published year fractions, conventions' invariants and bad input."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.discounting.daycount import DAY_COUNTS, as_dates, year_fractions
from appraisal.errors import AppraisalError, InvalidDatesError, UnknownDayCountError

DATA = Path(__file__).parents[1] / "data"
CASES = json.loads((DATA / "daycount_examples.json").read_text())["cases"]
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['day_count']}:{c['start']}->{c['end']}")
def test_published_year_fractions(case):
    assert case["source"].strip()
    got = year_fractions([case["start"], case["end"]], day_count=case["day_count"])
    expected = case["days_360"] / 360 if "days_360" in case else case["expected"]
    assert got[0] == 0.0
    assert got[1] == pytest.approx(expected, abs=case["tol"])


def test_every_convention_has_published_examples():
    assert {c["day_count"] for c in CASES} == set(DAY_COUNTS)


@pytest.mark.parametrize("name", ["ACT/365F", "act/365f", "Act/Act", "ACT/360", "30/360"])
def test_names_are_case_insensitive(name):
    canonical = next(c for c in DAY_COUNTS if c.lower() == name.lower())
    dates = ["2023-01-31", "2024-02-29", "2025-03-31"]
    np.testing.assert_array_equal(
        year_fractions(dates, day_count=name), year_fractions(dates, day_count=canonical)
    )


@pytest.mark.parametrize("name", ["bus/252", "30E/360", "act/365", "", None, 365])
def test_an_unknown_day_count_is_an_error_that_lists_the_supported_ones(name):
    with pytest.raises(UnknownDayCountError, match="unknown day count") as err:
        year_fractions(["2024-01-01", "2025-01-01"], day_count=name)
    assert all(c in str(err.value) for c in DAY_COUNTS)
    assert isinstance(err.value, AppraisalError)


@pytest.mark.parametrize(
    ("dates", "words"),
    [
        (["2024-01-01", "2023-12-31"], "precede the first date"),
        (["2024-01-01", "not a date"], "ISO strings"),
        (["2024-01-01", None], "missing"),
        ([], "non-empty"),
    ],
)
def test_bad_dates_name_the_problem(dates, words):
    with pytest.raises(InvalidDatesError, match=words):
        year_fractions(dates)


def test_as_dates_checks_the_count_and_accepts_every_date_type():
    got = as_dates([dt.date(2024, 1, 31), "2024-02-29", np.datetime64("2024-03-01")], n=3)
    assert got.tolist() == [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 1)]
    with pytest.raises(InvalidDatesError, match="2 dates for 3 cash flows"):
        as_dates(["2024-01-01", "2024-02-01"], n=3)


@settings(max_examples=200, deadline=None)
@given(DATES, st.lists(st.integers(0, 20_000), min_size=1, max_size=6))
def test_actual_conventions_count_calendar_days(start, offsets):
    dates = [start] + [start + dt.timedelta(days=k) for k in sorted(offsets)]
    days = np.array([(d - start).days for d in dates], dtype=float)
    np.testing.assert_array_equal(year_fractions(dates, day_count="act/365F"), days / 365)
    np.testing.assert_array_equal(year_fractions(dates, day_count="act/360"), days / 360)
    aa = year_fractions(dates, day_count="act/act")
    # Between the two fixed conventions, and equal to act/365F when no leap day is crossed.
    assert np.all(days / 366 - 1e-12 <= aa) and np.all(aa <= days / 365 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(DATES, DATES, DATES)
def test_act_act_isda_is_additive_and_counts_whole_years_exactly(a, b, c):
    a, b, c = sorted([a, b, c])
    ab = year_fractions([a, b], day_count="act/act")[1]
    bc = year_fractions([b, c], day_count="act/act")[1]
    ac = year_fractions([a, c], day_count="act/act")[1]
    assert ab + bc == pytest.approx(ac, abs=1e-12)
    years = c.year - a.year
    jan1 = [dt.date(a.year, 1, 1), dt.date(a.year + years, 1, 1)]
    assert year_fractions(jan1, day_count="act/act")[1] == pytest.approx(years, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(1, 28), st.integers(0, 600))
def test_30_360_counts_whole_months_as_twelfths(start, day, months):
    first = start.replace(day=day)
    y, m = divmod(first.month - 1 + months, 12)
    later = dt.date(first.year + y, m + 1, day)
    assert year_fractions([first, later], day_count="30/360")[1] == pytest.approx(
        months / 12, abs=1e-12
    )
