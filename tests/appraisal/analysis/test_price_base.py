"""Price-base conversion: factors against the packaged indices, steps shown, errors."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.analysis.price_base import convert_cost, load_default_indices
from appraisal.errors import PriceBaseError

IDX = load_default_indices()
YEARS = st.integers(min_value=1999, max_value=2024)


def test_usd_to_eur_inflate_then_convert_uses_us_cpi_and_target_year_rate():
    c = convert_cost(1000.0, "USD", 2003, to_currency="EUR", to_year=2024)
    cpi = IDX["us_cpi_u_annual_avg"]
    expected = 1000.0 * cpi[2024] / cpi[2003] / IDX.loc[2024, "eur_usd_annual_avg"]
    assert c.value == pytest.approx(expected, rel=1e-12)
    assert [s.kind for s in c.steps] == ["inflation", "exchange"]
    assert c.steps[0].index_from == cpi[2003] and c.steps[0].index_to == cpi[2024]
    assert "BLS" in c.steps[0].source and "ECB" in c.steps[1].source
    assert c.factor == pytest.approx(c.value / 1000.0)


def test_convert_first_exchanges_at_source_year_then_uses_hicp():
    c = convert_cost(1000.0, "USD", 2003, to_currency="EUR", to_year=2024, order="convert_first")
    hicp = IDX["euro_area_hicp_annual"]
    expected = 1000.0 / IDX.loc[2003, "eur_usd_annual_avg"] * hicp[2024] / hicp[2003]
    assert c.value == pytest.approx(expected, rel=1e-12)
    assert [s.kind for s in c.steps] == ["exchange", "inflation"]


def test_gdp_deflator_can_replace_cpi_for_dollars():
    c = convert_cost(50.0, "USD", 2010, to_currency="USD", to_year=2020, usd_index="gdp_deflator")
    d = IDX["us_gdp_deflator"]
    assert c.value == pytest.approx(50.0 * d[2020] / d[2010])
    assert "deflator" in c.steps[0].source


def test_eur_to_usd_multiplies_by_rate():
    c = convert_cost(100.0, "EUR", 2024, to_currency="USD", to_year=2024)
    assert c.value == pytest.approx(100.0 * IDX.loc[2024, "eur_usd_annual_avg"])


def test_explain_names_every_step():
    text = convert_cost(1.0, "USD", 2001, to_currency="EUR", to_year=2022).explain()
    assert "2001" in text and "2022" in text and text.count("\n") == 2


def test_indices_passed_as_frame_and_mapping_give_the_same_answer():
    frame = pd.DataFrame(
        {"year": [2000, 2010], "euro_area_hicp_annual": [80.0, 100.0]},
    )
    mapping = {"euro_area_hicp_annual": {2000: 80.0, 2010: 100.0}}
    a = convert_cost(8.0, "EUR", 2000, to_currency="EUR", to_year=2010, indices=frame)
    b = convert_cost(8.0, "EUR", 2000, to_currency="EUR", to_year=2010, indices=mapping)
    assert a.value == b.value == pytest.approx(10.0)
    assert "caller-supplied" in a.steps[0].source


@given(YEARS, YEARS, st.sampled_from(["EUR", "USD"]), st.sampled_from(["EUR", "USD"]))
def test_round_trip_returns_the_amount(y1, y2, c1, c2):
    there = convert_cost(123.0, c1, y1, to_currency=c2, to_year=y2)
    back = convert_cost(there.value, c2, y2, to_currency=c1, to_year=y1, order="convert_first")
    assert back.value == pytest.approx(123.0, rel=1e-12)


@given(YEARS, YEARS, YEARS)
def test_inflation_factors_chain(y1, y2, y3):
    f12 = convert_cost(1.0, "EUR", y1, to_currency="EUR", to_year=y2).factor
    f23 = convert_cost(1.0, "EUR", y2, to_currency="EUR", to_year=y3).factor
    f13 = convert_cost(1.0, "EUR", y1, to_currency="EUR", to_year=y3).factor
    assert math.isclose(f12 * f23, f13, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"year": 1995}, r"year 1995 is outside .*1999-2024"),
        ({"currency": "XYZ"}, "currency 'XYZ' is not one the platform has prices for"),
        ({"currency": "eur"}, "not a currency code; give three capital letters"),
        ({"year": 2003.5}, "whole calendar year"),
        ({"year": "c.2003"}, "round a published"),
        ({"amount": float("nan")}, "finite"),
        ({"usd_index": "ppi"}, "usd_index"),
        ({"order": "sideways"}, "order must be"),
        ({"indices": [1, 2]}, "DataFrame or a mapping"),
    ],
)
def test_errors_name_the_problem(kwargs, match):
    args = {"amount": 1.0, "currency": "USD", "year": 2010, "to_year": 2020} | kwargs
    amount, currency, year = args.pop("amount"), args.pop("currency"), args.pop("year")
    with pytest.raises(PriceBaseError, match=match):
        convert_cost(amount, currency, year, to_currency="EUR", **args)


def test_missing_column_in_custom_indices_is_named():
    with pytest.raises(PriceBaseError, match="no column 'us_cpi_u_annual_avg'"):
        convert_cost(1.0, "USD", 2000, to_currency="USD", to_year=2001, indices={"x": {2000: 1.0}})


def test_default_indices_are_a_copy():
    idx = load_default_indices()
    idx.loc[2024, "eur_usd_annual_avg"] = 99.0
    assert load_default_indices().loc[2024, "eur_usd_annual_avg"] == pytest.approx(1.0824)
