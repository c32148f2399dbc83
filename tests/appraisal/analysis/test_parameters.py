"""Parameter sets: values, sources for every value, versioning, carbon path."""

import dataclasses
import json
from importlib import resources

import pytest

from appraisal.analysis.parameters import (
    EDITABLE_VALUES,
    EIB_2020_CARBON_PATH,
    CarbonPricePath,
    ParameterSet,
    available_parameter_sets,
    get_parameter_set,
    load_parameter_sets,
    sense_problems,
)
from appraisal.errors import InvalidParameterError

VALUE_FIELDS = [
    "financial_discount_rate",
    "social_discount_rate",
    "standard_conversion_factor",
    "shadow_wage_factor",
    "cofinancing_rate",
    "carbon_price",
]


@pytest.mark.parametrize(("name", "version"), available_parameter_sets())
def test_every_value_of_every_set_cites_a_source(name, version):
    p = get_parameter_set(name, version)
    for f in VALUE_FIELDS:
        assert p.sources.get(f, "").strip(), f"{name}: {f} has no source"


def test_eu_2014_2020_values():
    p = get_parameter_set("EU 2014-2020")
    assert (p.financial_discount_rate, p.social_discount_rate) == (0.04, 0.05)
    assert get_parameter_set("EU 2014-2020 non-cohesion").social_discount_rate == 0.03
    assert p.reference_periods["water supply and sanitation"] == (30, 30)


def test_eib_carbon_path_hits_published_points_and_interpolates():
    prices = EIB_2020_CARBON_PATH.price([2030, 2050, 2025, 2040, 2010, 2070])
    assert prices.tolist() == [250.0, 800.0, 165.0, 525.0, 80.0, 800.0]
    assert EIB_2020_CARBON_PATH.price_base_year == 2016
    assert "Climate Bank Roadmap" in EIB_2020_CARBON_PATH.source


def test_sets_are_immutable():
    p = get_parameter_set("EU 2014-2020")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.social_discount_rate = 0.1  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.sources["x"] = "y"  # type: ignore[index]


def test_derive_records_source_and_origin():
    p = get_parameter_set("EU 2014-2020").derive(
        "Test", "1", source="unit test", social_discount_rate=0.035
    )
    assert p.social_discount_rate == 0.035 and p.sources["social_discount_rate"] == "unit test"
    assert "derived from EU 2014-2020" in p.notes
    with pytest.raises(InvalidParameterError, match="unknown parameter"):
        p.derive("T", "2", source="s", sdr=0.1)
    with pytest.raises(InvalidParameterError, match="state its source"):
        p.derive("T", "2", source=" ", social_discount_rate=0.1)
    with pytest.raises(InvalidParameterError, match="cofinancing_rate"):
        p.derive("T", "2", source="s", cofinancing_rate=1.5)
    with pytest.raises(InvalidParameterError, match="rate > -1"):
        p.derive("T", "2", source="s", financial_discount_rate=-1.0)


def test_unknown_set_or_version_lists_choices():
    with pytest.raises(InvalidParameterError, match="choose one of"):
        get_parameter_set("Mars 2100")
    with pytest.raises(InvalidParameterError, match="versions"):
        get_parameter_set("EU 2014-2020", "0.1")


def test_carbon_path_validation():
    with pytest.raises(InvalidParameterError, match="ascending"):
        CarbonPricePath(((2030, 1.0), (2020, 2.0)), "EUR", 2020, "s")
    with pytest.raises(InvalidParameterError, match=">= 0"):
        CarbonPricePath(((2020, -1.0),), "EUR", 2020, "s")


def _data() -> dict:
    path = resources.files("appraisal").joinpath("data/parameter_sets.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_sets_beyond_the_eu_are_offered_with_their_published_rates():
    names = {n for n, _ in available_parameter_sets()}
    assert {"EU 2021-2027", "World Bank", "World Bank high carbon price", "ADB 2017"} <= names
    assert {"UK Green Book", "Norway R-109"} <= names
    assert get_parameter_set("EU 2021-2027").social_discount_rate == 0.03
    assert get_parameter_set("UK Green Book").social_discount_rate == 0.035
    assert get_parameter_set("Norway R-109").social_discount_rate == 0.04
    assert get_parameter_set("ADB 2017").social_discount_rate == 0.09
    assert get_parameter_set("ADB 2017 social sectors").social_discount_rate == 0.06


def test_world_bank_low_and_high_carbon_paths_bracket_the_commission_range():
    low = get_parameter_set("World Bank").carbon_price
    high = get_parameter_set("World Bank high carbon price").carbon_price
    assert low.price([2020, 2030]).tolist() == [40.0, 50.0]
    assert high.price([2020, 2030]).tolist() == [80.0, 100.0]
    assert (low.currency, high.currency) == ("USD", "USD")
    # the high set differs from the low one only in its carbon path and its source
    wb, wbh = get_parameter_set("World Bank"), get_parameter_set("World Bank high carbon price")
    assert all(getattr(wb, f) == getattr(wbh, f) for f in EDITABLE_VALUES)
    assert wb.sources["carbon_price"] != wbh.sources["carbon_price"]


@pytest.mark.parametrize(("name", "version"), available_parameter_sets())
def test_every_source_names_a_publisher_and_year_and_recalled_ones_say_so(name, version):
    data = _data()
    refs = data["references"]
    years = {str(r["year"]) for r in refs.values()}
    p = get_parameter_set(name, version)
    for f in VALUE_FIELDS:
        assert any(y in p.sources[f] for y in years)
    recalled = [
        v["source"]
        for s in data["sets"]
        if s["name"] == name
        for v in s["values"].values()
        if v["source"]["checked"] == "recalled"
    ]
    for entry in recalled:
        assert any(entry["note"] in text and "Recalled" in text for text in p.sources.values()), (
            entry
        )


@pytest.mark.parametrize(("name", "version"), available_parameter_sets())
def test_every_built_in_set_is_within_sense_and_round_trips_as_data(name, version):
    p = get_parameter_set(name, version)
    assert sense_problems({f: getattr(p, f) for f in EDITABLE_VALUES}) == {}
    assert ParameterSet.from_dict(json.loads(json.dumps(p.to_dict()))) == p


@pytest.mark.parametrize(
    ("field", "value", "refused"),
    [
        ("social_discount_rate", -0.001, True),
        ("social_discount_rate", 0.0, False),
        ("social_discount_rate", 0.20, False),
        ("financial_discount_rate", 0.2001, True),
        ("standard_conversion_factor", 0.0, True),
        ("standard_conversion_factor", 3.0, False),
        ("shadow_wage_factor", 3.01, True),
        ("shadow_wage_factor", float("nan"), True),
        ("cofinancing_rate", 1.01, True),
    ],
)
def test_sense_limits(field, value, refused):
    problems = sense_problems({field: value})
    assert (field in problems) is refused
    if refused:
        assert "outside sense" in problems[field]


def test_loading_refuses_an_unknown_reference_a_missing_base_and_a_senseless_value():
    data = _data()
    bad_ref = json.loads(json.dumps(data))
    bad_ref["sets"][0]["values"]["financial_discount_rate"]["source"]["ref"] = "nowhere"
    with pytest.raises(InvalidParameterError, match="'nowhere'"):
        load_parameter_sets(json.dumps(bad_ref))
    no_base = json.loads(json.dumps(data))
    no_base["sets"][1]["based_on"] = "Atlantis 2030"
    with pytest.raises(InvalidParameterError, match="Atlantis 2030"):
        load_parameter_sets(json.dumps(no_base))
    senseless = json.loads(json.dumps(data))
    senseless["sets"][0]["values"]["social_discount_rate"]["value"] = 0.25
    with pytest.raises(InvalidParameterError, match="outside sense"):
        load_parameter_sets(json.dumps(senseless))
    unchecked = json.loads(json.dumps(data))
    unchecked["sets"][0]["values"]["social_discount_rate"]["source"]["checked"] = "maybe"
    with pytest.raises(InvalidParameterError, match="'read' or 'recalled'"):
        load_parameter_sets(json.dumps(unchecked))


def test_from_dict_refuses_incomplete_data():
    data = get_parameter_set("World Bank").to_dict()
    del data["social_discount_rate"]
    with pytest.raises(InvalidParameterError, match="incomplete"):
        ParameterSet.from_dict(data)
