"""Parameter sets: values, sources for every value, versioning, carbon path."""

import dataclasses

import pytest

from appraisal.analysis.parameters import (
    EIB_2020_CARBON_PATH,
    CarbonPricePath,
    available_parameter_sets,
    get_parameter_set,
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
