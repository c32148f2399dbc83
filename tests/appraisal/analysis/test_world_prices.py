"""Any currency: World Bank prices and rates, assumptions beyond the data, legacy units."""

import csv
import math
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.analysis.price_base import convert_cost
from appraisal.analysis.world_prices import available_currencies, currency_series
from appraisal.errors import CurrencyDataError, PriceBaseError


def _file_value(name: str, iso3: str, year: int, column: str) -> float:
    """A figure read straight from the packaged World Bank file (not through the module)."""
    with resources.files("appraisal").joinpath(f"data/{name}").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] == iso3 and int(row["year"]) == year:
                return float(row[column])
    raise AssertionError(f"{iso3} {year} not in {name}")


def test_world_bank_figures_named_in_the_readme():
    # fx_cpi_README.md hand checks: NOK 8.064 (2015) and 10.746 (2024), TND 3.107, SAR 3.75.
    assert currency_series("NOK").per_usd[2015] == pytest.approx(8.064, abs=5e-4)
    assert currency_series("NOK").per_usd[2024] == pytest.approx(10.746, abs=5e-4)
    assert currency_series("TND").per_usd[2024] == pytest.approx(3.107, abs=5e-4)
    assert currency_series("SAR").per_usd[2024] == 3.75
    nok = currency_series("NOK").index
    assert nok[2024] / nok[2015] == pytest.approx(145.109 / 108.587)


def test_nok_2015_to_eur_2024_by_hand():
    # Norway CPI 145.109 / 108.587, then / 10.74583333 NOK per USD, / 1.0824 USD per EUR (ECB).
    c = convert_cost(1000.0, "NOK", 2015, to_currency="EUR", to_year=2024)
    assert c.value == pytest.approx(1000 * 145.109 / 108.587 / 10.74583333 / 1.0824, rel=1e-8)
    assert [s.kind for s in c.steps] == ["inflation", "exchange"]
    assert "CPI of Norway" in c.steps[0].description
    assert "/ 10.7458 NOK per USD / 1.0824 USD per EUR" in c.steps[1].description
    assert "World Bank WDI PA.NUS.FCRF" in c.steps[1].source and "ECB" in c.steps[1].source
    assert c.assumptions == ()


def test_usd_to_sar_and_tnd_convert_through_the_dollar_by_hand():
    sar = convert_cost(100.0, "USD", 2024, to_currency="SAR", to_year=2024)
    assert sar.value == pytest.approx(375.0)
    tnd = convert_cost(1000.0, "TND", 2024, to_currency="SAR", to_year=2024)
    rate = _file_value("fx_annual.csv", "TUN", 2024, "lcu_per_usd")
    assert tnd.value == pytest.approx(1000 / rate * 3.75)
    assert "at the 2024 average rates: / 3.10745 TND per USD x 3.75 SAR per USD" in (
        tnd.steps[1].description
    )


def test_a_price_base_after_the_data_carries_the_last_inflation_forward():
    # Tunisia's CPI 205.37 (2023) and 220.171 (2024): 7.2 % a year, carried to 2026.
    c = convert_cost(1000.0, "TND", 2024, to_currency="TND", to_year=2026)
    growth = 220.171 / 205.37
    assert c.value == pytest.approx(1000 * growth**2, rel=1e-9)
    assert c.assumptions == ("assumed: 2024 inflation of 7.2 % carried forward to 2026",)
    assert "assumed: 2024 inflation of 7.2 % carried forward to 2026" in c.explain()


def test_euro_2026_base_is_assumed_from_hicp_2024():
    c = convert_cost(100.0, "EUR", 2020, to_currency="EUR", to_year=2026)
    assert c.value == pytest.approx(100 * 126.07 / 105.06 * (126.07 / 123.15) ** 2)
    assert c.assumptions == ("assumed: 2024 inflation of 2.4 % carried forward to 2026",)


def test_a_rate_after_the_data_is_the_last_rate_labelled():
    c = convert_cost(100.0, "USD", 2024, to_currency="NOK", to_year=2027)
    last = _file_value("fx_annual.csv", "NOR", 2024, "lcu_per_usd")
    us = 313.689 / 304.702
    assert c.value == pytest.approx(100 * us**3 * last)
    assert f"assumed: the 2024 rate ({last:g} NOK per USD) carried forward to 2027" in (
        c.steps[1].assumption
    )


def test_a_currency_whose_data_ends_earlier_carries_from_its_own_last_year():
    # Russia: CPI chain ends 2021 and the 2024 rate is missing (README coverage).
    c = convert_cost(1.0, "RUB", 2020, to_currency="RUB", to_year=2024)
    assert c.assumptions[0].startswith("assumed: 2021 inflation of")
    assert c.assumptions[0].endswith("carried forward to 2024")


def test_legacy_euro_currency_is_divided_by_the_irrevocable_rate():
    c = convert_cost(7534.50, "HRK", 2023, to_currency="EUR", to_year=2023)
    assert c.value == pytest.approx(1000.0)
    assert c.steps[0].kind == "legacy" and "7.5345 HRK per EUR" in c.steps[0].description
    assert "irrevocable" in c.steps[0].source


def test_redenominated_unit_is_divided_by_its_factor_first():
    c = convert_cost(1_000_000.0, "TRL", 2024, to_currency="TRY", to_year=2024)
    assert c.value == pytest.approx(1.0)
    old = convert_cost(5_000_000.0, "TRL", 2003, to_currency="TRY", to_year=2024)
    tur = _file_value("cpi_annual.csv", "TUR", 2024, "cpi_index") / _file_value(
        "cpi_annual.csv", "TUR", 2003, "cpi_index"
    )
    assert old.value == pytest.approx(5 * tur)


def test_caveats_travel_with_the_conversion():
    c = convert_cost(1.0, "IRR", 2020, to_currency="USD", to_year=2020)
    assert any("subsidised official rate" in note for note in c.caveats)
    assert "Note:" in c.explain()


@pytest.mark.parametrize(
    ("code", "match"),
    [
        ("XYZ", "currency 'XYZ' is not one the platform has prices for"),
        ("TWD", "Taiwan"),
        ("ARS", "consumer price index"),
        ("VES", "Venezuela"),
        ("usd", "not a currency code"),
        ("EURO", "not a currency code"),
    ],
)
def test_a_currency_without_data_is_a_domain_error_naming_it(code, match):
    with pytest.raises(CurrencyDataError, match=match) as info:
        convert_cost(1.0, code, 2020, to_currency="EUR", to_year=2020)
    assert info.value.currency == code
    assert isinstance(info.value, PriceBaseError)


def test_a_legacy_target_is_refused_with_its_successor():
    with pytest.raises(CurrencyDataError, match="convert to EUR instead"):
        convert_cost(1.0, "EUR", 2020, to_currency="HRK", to_year=2020)


def test_a_year_before_the_data_is_refused_not_assumed():
    with pytest.raises(PriceBaseError, match=r"year 1995 is outside .*2000-2024"):
        convert_cost(1.0, "NOK", 1995, to_currency="NOK", to_year=2020)


def test_available_currencies_have_data_and_labels():
    codes = dict(available_currencies())
    assert codes["TND"] == "TND (Tunisia)"
    assert "Senegal" in codes["XOF"]
    assert {"EUR", "USD", "NOK", "SAR", "TRY"} <= set(codes)
    assert not {"TWD", "ARS", "HRK", "CUP"} & set(codes)
    assert len(codes) > 140


CODES = st.sampled_from(["EUR", "USD", "NOK", "TND", "SAR", "CHF", "GBP", "JPY", "XOF"])
YEARS = st.integers(min_value=2005, max_value=2030)


@settings(max_examples=60, deadline=None)
@given(CODES, CODES, YEARS, YEARS)
def test_round_trip_returns_the_amount_any_currency(c1, c2, y1, y2):
    there = convert_cost(123.0, c1, y1, to_currency=c2, to_year=y2)
    back = convert_cost(there.value, c2, y2, to_currency=c1, to_year=y1, order="convert_first")
    assert back.value == pytest.approx(123.0, rel=1e-10)


@settings(max_examples=40, deadline=None)
@given(YEARS, YEARS, YEARS)
def test_inflation_factors_chain_across_the_assumed_years(y1, y2, y3):
    def f(a, b):
        return convert_cost(1.0, "NOK", a, to_currency="NOK", to_year=b).factor

    assert math.isclose(f(y1, y2) * f(y2, y3), f(y1, y3), rel_tol=1e-10)
