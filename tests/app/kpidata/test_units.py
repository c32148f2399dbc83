"""Units as reports spell them: the KPI's own, a known conversion, or refused with the reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.kpidata.checking import normalise_kpi_code
from app.kpidata.units import SYNONYMS, UnitError, measure_of, normalise_unit, read_unit

ROOT = Path(__file__).resolve().parents[3]


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


KPIS = {row["code"]: row for row in _rows(ROOT / "seeds/u4ssc_kpis.csv")}


def test_every_unit_of_the_real_values_is_read_as_its_kpis_own():
    for row in _rows(ROOT / "seeds/city_kpi_values.csv"):
        kpi = KPIS[normalise_kpi_code(row["kpi_code"])]
        assert read_unit(row["unit"], kpi["code"], kpi["unit"]).factor == 1.0, row


@pytest.mark.parametrize(
    ("written", "kpi_unit"),
    [
        ("per 100 000 inhabitants", "subscriptions per 100,000 inhabitants"),
        ("number of hotspots", "number of public WiFi hotspots"),
        ("% of GDP", "% of city GDP"),
        ("Percent", "% of households"),
        ("yrs", "years"),
        ("min", "minutes (CAIDI)"),
        ("kWh/yr per cap.", "kWh per year per capita"),
        ("t CO2e per capita", "tonnes eCO2 per capita"),
        ("ug/m3", "µg/m3 annual mean (data points PM2.5, PM10, NO2, SO2, O3)"),
        ("Y/N", "yes/no"),
        ("%", "number and % (data points: published sets, % availability)"),
        ("number", "number and % (data points: published sets, % availability)"),
        ("", "km per 100,000 inhabitants"),
    ],
)
def test_spellings_of_the_kpis_own_unit(written, kpi_unit):
    assert read_unit(written, "X", kpi_unit).factor == 1.0


@pytest.mark.parametrize(
    ("written", "kpi_unit", "factor"),
    [
        ("per 1,000 inhabitants", "number per 100,000 inhabitants", 100.0),
        ("subscriptions per 100 inhabitants", "subscriptions per 100,000 inhabitants", 1000.0),
        ("fraction", "% of households", 100.0),
        ("MWh per year per capita", "kWh per year per capita", 1000.0),
        ("kg eCO2 per capita", "tonnes eCO2 per capita", 0.001),
        ("hours", "minutes (CAIDI)", 60.0),
        ("km2 per 100 000 inh.", "hectares per 100,000 inhabitants", 100.0),
        ("m3 per day per capita", "litres per day per capita", 1000.0),
    ],
)
def test_known_conversions_give_their_factor_and_say_how(written, kpi_unit, factor):
    reading = read_unit(written, "X", kpi_unit)
    assert reading.factor == pytest.approx(factor) and "->" in reading.how


@pytest.mark.parametrize(
    ("written", "kpi_unit", "said"),
    [
        ("km", "% of households", "measures a length, but X is measured in '% of households'"),
        ("number", "number per 100,000 inhabitants", "a total (a count), but X"),
        ("litres per capita", "litres per day per capita", "not the unit of X"),
        ("kWh per day per capita", "litres per day per capita", "not the unit of X"),
        ("%", "km per 100,000 inhabitants", "a share in %, but X"),
    ],
)
def test_a_unit_that_measures_something_else_is_refused_naming_the_kpis_unit(
    written, kpi_unit, said
):
    with pytest.raises(UnitError) as refused:
        read_unit(written, "X", kpi_unit)
    assert said in str(refused.value) and f"Give the value in {kpi_unit}" in str(refused.value)


def test_kpi_specific_synonyms_apply_to_their_kpi_only():
    patents = KPIS["EC: P: IN: 2C"]
    assert read_unit("per 100 000 inhabitants", patents["code"], patents["unit"]).factor == 1.0
    with pytest.raises(UnitError):
        read_unit("per 100 000 inhabitants", "OTHER", patents["unit"])


def test_the_synonym_table_is_well_formed():
    rows = _rows(SYNONYMS)
    assert {row["kind"] for row in rows} == {"spelling", "conversion", "synonym"}
    for row in rows:
        assert row["written"].strip() and row["note"].strip(), row
        if row["kind"] == "conversion":
            assert float(row["factor"]) > 0, row
        if row["kind"] == "synonym":
            assert row["kpi_code"] in KPIS, row
        else:
            assert not row["kpi_code"] and row["means"].strip(), row


def test_normalised_spellings_and_measures():
    assert normalise_unit("FTE per 100 000 inhabitants") == normalise_unit(
        "FTE per 100,000 inhabitants"
    )
    assert measure_of("hectares per 100,000 inhabitants") == "a rate per inhabitants"
    assert measure_of("µg/m3") == "a concentration"
