"""Economic analysis: skilled and unskilled labour factors, taxes and subsidies removed."""

import pytest

from appraisal.analysis.cashflows import ProjectInputs, build_flows
from appraisal.analysis.economic import (
    INCINERATOR_LABOUR_FACTORS,
    EconomicInputs,
    economic_analysis,
    economic_lines,
    vat_share,
)
from appraisal.analysis.parameters import get_parameter_set
from appraisal.errors import InvalidParameterError

# Standard conversion factor 1 and shadow wage factor 1, so each part shows plainly.
PARAMS = get_parameter_set("EU 2014-2020").derive(
    "test", "1", source="test", standard_conversion_factor=1.0, shadow_wage_factor=1.0
)


def _flows():
    return build_flows(ProjectInputs(2026, 4, [1000.0], fixed_opex=100.0, other_revenue=300.0))


def test_the_incinerator_case_values_skilled_labour_at_1_and_unskilled_at_0_6():
    """Published figures: the EU CBA Guide (2014) incinerator case uses conversion factors
    1.00 for skilled and 0.60 for unskilled labour. Exact formula: a cost of 100 that is
    30 % skilled and 50 % unskilled labour is worth 30 x 1.00 + 50 x 0.60 + 20 x SCF."""
    assert INCINERATOR_LABOUR_FACTORS == {"skilled": 1.00, "unskilled": 0.60}
    inputs = EconomicInputs(
        labour_split={"fixed_opex": {"skilled": 0.3, "unskilled": 0.5}},
        labour_factors=INCINERATOR_LABOUR_FACTORS,
    )
    lines, _ = economic_lines(_flows(), PARAMS, inputs)
    assert lines["fixed_opex"].tolist() == pytest.approx([0.0, -80.0, -80.0, -80.0])
    assert lines["capex"][0] == pytest.approx(-1000.0)


def test_vat_is_removed_before_conversion():
    """Exact formula: a VAT-inclusive amount A at rate v is worth A / (1 + v) net of VAT;
    the share removed is v / (1 + v)."""
    assert vat_share(0.2) == pytest.approx(1 / 6)
    inputs = EconomicInputs(
        transfer_share={"capex": vat_share(0.2), "fixed_opex": vat_share(0.2)},
        labour_split={"fixed_opex": {"unskilled": 0.5}},
        labour_factors=INCINERATOR_LABOUR_FACTORS,
    )
    lines, _ = economic_lines(_flows(), PARAMS, inputs)
    assert lines["capex"][0] == pytest.approx(-1000.0 / 1.2)
    assert lines["fixed_opex"][1] == pytest.approx(-100.0 / 1.2 * (0.5 * 0.6 + 0.5))


def test_a_subsidy_in_revenue_is_removed_from_the_benefits():
    """Exact formula: revenue of 300 of which 1/3 is an operating subsidy counts 200."""
    inputs = EconomicInputs(transfer_share={"revenue": 1 / 3})
    lines, _ = economic_lines(_flows(), PARAMS, inputs)
    assert lines["revenue"][1] == pytest.approx(200.0)


def test_without_the_new_inputs_the_result_is_unchanged():
    eu = get_parameter_set("EU 2014-2020")
    base = economic_analysis(_flows(), eu, EconomicInputs(labour_share={"fixed_opex": 0.4}))
    same = economic_analysis(
        _flows(),
        eu,
        EconomicInputs(labour_share={"fixed_opex": 0.4}, labour_factors=INCINERATOR_LABOUR_FACTORS),
    )
    assert same.enpv.amount == base.enpv.amount


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (EconomicInputs(labour_split={"fixed_opex": {"skilled": 0.5}}), "needs a conversion"),
        (
            EconomicInputs(
                labour_share={"fixed_opex": 0.6},
                labour_split={"fixed_opex": {"skilled": 0.5}},
                labour_factors={"skilled": 1.0},
            ),
            "at most 1",
        ),
        (EconomicInputs(transfer_share={"capex": 1.5}), r"share in \[0, 1\]"),
        (EconomicInputs(transfer_share={"wages": 0.1}), "unknown line kind"),
    ],
)
def test_bad_labour_or_transfer_inputs_say_what_is_wrong(inputs, message):
    with pytest.raises(InvalidParameterError, match=message):
        economic_lines(_flows(), PARAMS, inputs)


def test_a_vat_rate_must_be_a_decimal_rate():
    with pytest.raises(InvalidParameterError, match="decimal rate"):
        vat_share(20)
