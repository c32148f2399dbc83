"""Rows checked against the reference: observations, or refusals with row, column and reason."""

from __future__ import annotations

import pytest

from app.kpidata.checking import (
    CityRef,
    KpiRef,
    RawRow,
    Reference,
    Stored,
    classify,
    read_rows,
)

KARMOY = CityRef(1, "Karmøy", "NO")
REF = Reference(
    kpis={
        "EC: ICT: ICT: 1C": KpiRef(
            10, "EC: ICT: ICT: 1C", "Household Internet Access", "% of households", "higher"
        ),
        "EC: ICT: ICT: 4C": KpiRef(
            11,
            "EC: ICT: ICT: 4C",
            "Wireless Broadband Coverage",
            "% (data points 3G, 4G)",
            "higher",
            ("3G", "4G"),
        ),
        "SC: EH: ED: 3C": KpiRef(
            12, "SC: EH: ED: 3C", "Tertiary degrees", "number per 100,000 inhabitants", "higher"
        ),
        "SC: SH: SA: 3A": KpiRef(13, "SC: SH: SA: 3A", "Disaster plan", "yes/no", "boolean"),
    },
    cities={("karmoy", "NO"): KARMOY},
    cities_by_id={1: KARMOY},
    countries={"norway": "NO", "no": "NO", "nor": "NO"},
    this_year=2026,
)
GOOD = {
    "city": "Karmøy",
    "country": "Norway",
    "year": "2024",
    "kpi_code": "EC: ICT: ICT: 1C",
    "value": "97",
    "unit": "%",
    "source": "SSB",
}


def check(*rows: dict):
    return read_rows([RawRow(line, fields) for line, fields in enumerate(rows, start=2)], REF)


def test_a_good_row_is_an_observation_in_the_kpis_unit():
    (o,), rejected, skipped = check(GOOD)
    assert not rejected and not skipped
    assert (o.city_id, o.kpi_id, o.year, o.value, o.unit) == (1, 10, 2024, 97.0, "% of households")


@pytest.mark.parametrize(
    ("change", "column", "said"),
    [
        ({"city": "Pully", "country": "CH"}, "country", "not a country name nor an ISO 3166 code"),
        ({"city": "Pully"}, "city", 'usc city add --name "Pully" --country NO'),
        ({"kpi_code": "XX: 1"}, "kpi_code", "not a U4SSC KPI code"),
        ({"value": "lots"}, "value", "not a number"),
        ({"value": "nan"}, "value", "not a finite number"),
        ({"value": "inf"}, "value", "not a finite number"),
        ({"value": "-3"}, "value", "negative"),
        ({"value": "140"}, "value", "over 100 %"),
        ({"value": "1e13", "kpi_code": "SC: EH: ED: 3C", "unit": ""}, "value", "larger than any"),
        ({"year": "2031"}, "year", "in the future"),
        ({"year": "last year"}, "year", "not a year"),
        ({"unit": "km"}, "unit", "measures a length"),
        (
            {"kpi_code": "EC: ICT: ICT: 4C", "data_point": "5G"},
            "data_point",
            "its data points are 3G, 4G",
        ),
        ({"kpi_code": "SC: SH: SA: 3A", "value": "maybe", "unit": ""}, "value", "not yes or no"),
        ({"source": "bad\x00byte"}, "source", "control character"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_column_and_reason(change, column, said):
    observations, (refusal,), _ = check(GOOD, {**GOOD, **change})
    assert len(observations) == 1 and refusal.line == 3
    assert refusal.column == column and said in refusal.reason


def test_a_duplicate_row_names_the_first_one():
    _, (refusal,), _ = check(GOOD, {**GOOD, "kpi_code": "EC:ICT:ICT:1C", "value": "98"})
    assert refusal.line == 3 and "duplicate of row 2" in refusal.reason


def test_codes_countries_data_points_years_and_yes_no_as_reports_write_them():
    rows = [
        {**GOOD, "kpi_code": "ec:ict:ict:1c", "country": "NOR", "city": "KARMOY"},
        {
            **GOOD,
            "kpi_code": "EC: ICT: ICT: 4C",
            "data_point": "3g",
            "value": "96,67",
            "country": "no",
        },
        {
            **GOOD,
            "kpi_code": "SC: SH: SA: 3A",
            "value": "No",
            "unit": "yes/no",
            "year": "2020-09",
            "year_basis": "report publication date",
        },
        {
            **GOOD,
            "kpi_code": "SC: EH: ED: 3C",
            "value": "108.5",
            "unit": "per 1,000 inh.",
            "year": "2023",
        },
        {**GOOD, "value": ""},
    ]
    (a, b, c, d), rejected, skipped = check(*rows)
    assert not rejected and skipped == 1
    assert a.kpi_code == "EC: ICT: ICT: 1C" and a.city_id == 1
    assert (b.data_point, b.value) == ("3G", pytest.approx(96.67))
    assert (c.value, c.year, c.year_basis) == (0.0, 2020, "2020-09: report publication date")
    assert d.value == pytest.approx(10850) and "x 100" in d.converted


def test_classify_new_changed_and_unchanged():
    (o,), _, _ = check(GOOD)
    same = Stored(5, "", 97.0, "% of households", "SSB", None, None)
    other = Stored(5, "", 95.0, "% of households", "SSB", None, None)
    assert classify([o], {}).new == [o]
    assert classify([o], {o.key: same}).unchanged == [o]
    assert classify([o], {o.key: other}).changed == [(o, other)]


def test_values_are_read_by_the_platforms_one_reader():
    _, refused, _ = check({**GOOD, "value": "1,234"}, {**GOOD, "value": "1e308", "year": "2023"})
    assert "could be 1234" in refused[0].reason and "out of range" in refused[1].reason
