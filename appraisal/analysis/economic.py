"""Economic analysis: market prices to shadow prices, externalities, ENPV, ERR, B/C.

Following the EU CBA Guide (2014), each financial line is converted to its shadow
value with a conversion factor: the labour share of a line at the shadow wage factor,
the rest at the line's own factor or the standard conversion factor. Non-market
benefits and externalities are added in their own lines, CO2 at the shadow carbon
price path of the parameter set, brought from the path's price base to the project's
with :func:`appraisal.analysis.price_base.convert_cost` (the conversion is kept to show).
Everything is discounted at the social discount rate of the parameter set.

Lines are kept apart (:func:`economic_lines`) so sensitivity and Monte Carlo can
scale each one, and so a table can show where the economic value comes from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from appraisal.analysis.cashflows import LINE_KINDS, YearlyFlows
from appraisal.analysis.money import Money
from appraisal.analysis.parameters import ParameterSet
from appraisal.analysis.price_base import PriceBaseConversion, convert_cost
from appraisal.discounting.metrics import irr, npv
from appraisal.discounting.validation import check_amounts
from appraisal.errors import (
    AppraisalError,
    InvalidCashflowError,
    InvalidParameterError,
    MultipleIRRError,
    NoIRRError,
)

__all__ = [
    "INCINERATOR_LABOUR_FACTORS",
    "EconomicInputs",
    "EconomicResult",
    "carbon_price_in_project_prices",
    "economic_analysis",
    "economic_lines",
    "irr_or_reason",
    "irr_or_reason_many",
    "vat_share",
]


#: Conversion factors of skilled and unskilled labour in the EU CBA Guide's (2014)
#: waste incinerator case study: skilled labour at its wage, unskilled at 60 % of it.
INCINERATOR_LABOUR_FACTORS = {"skilled": 1.00, "unskilled": 0.60}


def vat_share(rate: float) -> float:
    """The share of a VAT-inclusive amount that is VAT: ``rate / (1 + rate)``.

    Examples
    --------
    >>> round(vat_share(0.22), 6)
    0.180328
    """
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate < 10:
        raise InvalidParameterError(f"VAT rate is {rate!r}; give a decimal rate, e.g. 0.2")
    return rate / (1.0 + rate)


@dataclass(frozen=True)
class EconomicInputs:
    """What the economic analysis adds to the financial flows.

    Attributes
    ----------
    labour_share : Mapping[str, float]
        Line kind (``"capex"``, ``"fixed_opex"``...) -> share of labour in it, valued
        at the shadow wage factor.
    conversion_factors : Mapping[str, float]
        Line kind -> conversion factor of its non-labour part (default: the standard
        conversion factor).
    benefits : Mapping[str, sequence of float]
        Non-market benefits per year, already at shadow prices (time saved, health...).
    externalities : Mapping[str, sequence of float]
        Other external effects per year, positive for benefits, negative for costs.
    co2_tonnes : sequence of float, optional
        Tonnes of CO2-equivalent avoided per year (negative where emissions rise).
    include_revenues : bool
        Count user charges as a proxy of willingness to pay. Set False when
        ``benefits`` already measure what users gain, to avoid counting it twice.
    labour_split : Mapping[str, Mapping[str, float]]
        Line kind -> labour category (``"skilled"``, ``"unskilled"``) -> share of the
        line, each valued at its factor in ``labour_factors`` (beside ``labour_share``).
    labour_factors : Mapping[str, float]
        Labour category -> conversion factor (the EU CBA Guide's incinerator case:
        :data:`INCINERATOR_LABOUR_FACTORS`).
    transfer_share : Mapping[str, float]
        Line kind -> share of its amount that is a transfer (VAT and other indirect
        taxes, or subsidies), removed before conversion (:func:`vat_share` gives it
        from a VAT rate).
    """

    labour_share: Mapping[str, float] = field(default_factory=dict)
    conversion_factors: Mapping[str, float] = field(default_factory=dict)
    benefits: Mapping[str, Sequence[float]] = field(default_factory=dict)
    externalities: Mapping[str, Sequence[float]] = field(default_factory=dict)
    co2_tonnes: Sequence[float] | None = None
    include_revenues: bool = True
    labour_split: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    labour_factors: Mapping[str, float] = field(default_factory=dict)
    transfer_share: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class EconomicResult:
    """ENPV, ERR and B/C with the economic lines they come from."""

    lines: Mapping[str, np.ndarray]
    flows: np.ndarray
    social_discount_rate: float
    enpv: Money
    err: float | None
    err_note: str
    bc_ratio: float
    pv_benefits: Money
    pv_costs: Money
    carbon_conversion: PriceBaseConversion | None


def irr_or_reason(flows: np.ndarray) -> tuple[float | None, str]:
    """The IRR, or None and the reason there is no single one (for display).

    Examples
    --------
    >>> round(irr_or_reason([-100.0, 110.0])[0], 12)
    0.1
    >>> irr_or_reason([1.0, 2.0])[0] is None
    True
    """
    try:
        return float(irr(flows)), ""
    except MultipleIRRError as exc:
        roots = ", ".join(f"{r:.2%}" for r in exc.roots)
        return None, f"several IRRs ({roots}); rely on the NPV"
    except NoIRRError as exc:  # its message starts "No IRR: " already
        message = str(exc)
        return None, message[:1].lower() + message[1:]


def irr_or_reason_many(flows2d: np.ndarray) -> list[tuple[float | None, str]]:
    """:func:`irr_or_reason` of each row, the IRRs found together by ``irr_many``.

    Examples
    --------
    >>> [(None if r is None else round(r, 12), note[:9])
    ...  for r, note in irr_or_reason_many(np.array([[-100.0, 110.0], [1.0, 2.0]]))]
    [(0.1, ''), (None, 'no IRR: t')]
    """
    from appraisal.discounting.batch import irr_many

    rows = np.asarray(flows2d, dtype=float)
    out: list[tuple[float | None, str]] = []
    for row, rate in zip(rows, irr_many(rows).tolist(), strict=True):
        # irr_many gives NaN exactly where irr raises: only those rows are solved again,
        # for the reason.
        out.append((rate, "") if rate == rate else irr_or_reason(row))
    return out


def carbon_price_in_project_prices(
    params: ParameterSet, years: np.ndarray, *, currency: str, price_base_year: int
) -> tuple[np.ndarray, PriceBaseConversion]:
    """Shadow carbon price per tonne in each year, in the project's currency and prices.

    Examples
    --------
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> p = get_parameter_set("EU 2014-2020")
    >>> prices, conv = carbon_price_in_project_prices(
    ...     p, np.array([2030]), currency="EUR", price_base_year=2016)
    >>> prices.tolist(), conv.factor
    ([250.0], 1.0)
    """
    path = params.carbon_price
    conv = convert_cost(
        1.0,
        path.currency,
        path.price_base_year,
        to_currency=currency,
        to_year=price_base_year,
    )
    return path.price(years) * conv.factor, conv


def _series(values: Sequence[float], n: int, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.shape != (n,):
        raise InvalidCashflowError(
            f"{name} has {arr.size} values but the project has {n} years; give one per year"
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidCashflowError(f"{name} holds NaN or infinite values")
    return check_amounts(arr, name)


def _share(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise InvalidParameterError(f"{what} is {value!r}; give a share in [0, 1]")
    return float(value)


def _factor(kind: str, params: ParameterSet, inputs: EconomicInputs) -> float:
    share = _share(inputs.labour_share.get(kind, 0.0), f"labour_share of {kind!r}")
    labour = share * params.shadow_wage_factor
    for category, value in inputs.labour_split.get(kind, {}).items():
        part = _share(value, f"{category} labour share of {kind!r}")
        factor = inputs.labour_factors.get(category)
        if factor is None or not np.isfinite(factor) or factor < 0:
            raise InvalidParameterError(
                f"{category} labour in {kind!r} needs a conversion factor >= 0 in labour_factors"
            )
        share += part
        labour += part * factor
    if share > 1.0 + 1e-12:
        raise InvalidParameterError(
            f"labour shares of {kind!r} add up to {share:g}; together they must be at most 1"
        )
    cf = inputs.conversion_factors.get(kind, params.standard_conversion_factor)
    if not np.isfinite(cf) or cf < 0:
        raise InvalidParameterError(f"conversion factor of {kind!r} is {cf}; it must be >= 0")
    transfer = _share(inputs.transfer_share.get(kind, 0.0), f"transfer share of {kind!r}")
    return (1.0 - transfer) * (labour + (1.0 - share) * cf)


def economic_lines(
    flows: YearlyFlows, params: ParameterSet, inputs: EconomicInputs
) -> tuple[dict[str, np.ndarray], PriceBaseConversion | None]:
    """Signed economic flows per line (costs negative) and the carbon price conversion.

    Financial lines keep their kind names (so one uncertain variable can scale a
    line in both analyses); added lines are named ``benefit:<name>``,
    ``externality:<name>`` and ``co2``.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> f = build_flows(ProjectInputs(2025, 3, [100.0], fixed_opex=10.0))
    >>> p = get_parameter_set("EU 2014-2020").derive("t", "1", source="doc",
    ...                                              shadow_wage_factor=0.5)
    >>> lines, _ = economic_lines(f, p, EconomicInputs(labour_share={"capex": 0.4}))
    >>> lines["capex"].tolist()
    [-80.0, -0.0, -0.0]
    """
    given = (
        set(inputs.labour_share)
        | set(inputs.conversion_factors)
        | set(inputs.labour_split)
        | set(inputs.transfer_share)
    )
    unknown = given - set(LINE_KINDS)
    if unknown:
        raise InvalidParameterError(
            f"unknown line kind(s) {sorted(unknown)}; use one of {list(LINE_KINDS)}"
        )
    if flows.nominal:
        raise InvalidParameterError(
            "the economic analysis runs in constant prices with a real social discount "
            "rate; build the flows with prices='real'"
        )
    n = flows.years.size
    lines: dict[str, np.ndarray] = {}
    for kind, signed in flows.signed_lines().items():
        if kind == "revenue" and not inputs.include_revenues:
            continue
        lines[kind] = signed * _factor(kind, params, inputs)
    for name, values in inputs.benefits.items():
        lines[f"benefit:{name}"] = _series(values, n, f"benefit {name!r}")
    for name, values in inputs.externalities.items():
        lines[f"externality:{name}"] = _series(values, n, f"externality {name!r}")
    conversion = None
    if inputs.co2_tonnes is not None:
        tonnes = _series(inputs.co2_tonnes, n, "co2_tonnes")
        prices, conversion = carbon_price_in_project_prices(
            params, flows.years, currency=flows.currency, price_base_year=flows.price_base_year
        )
        lines["co2"] = tonnes * prices
    return lines, conversion


def economic_analysis(
    flows: YearlyFlows, params: ParameterSet, inputs: EconomicInputs | None = None
) -> EconomicResult:
    """ENPV, ERR and B/C ratio at the parameter set's social discount rate.

    B/C is the present value of every positive yearly line amount over that of every
    negative one, so a cost saving counts as a benefit.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> from appraisal.analysis.parameters import get_parameter_set
    >>> f = build_flows(ProjectInputs(2025, 3, [100.0], fixed_opex=10.0))
    >>> r = economic_analysis(f, get_parameter_set("EU 2014-2020"),
    ...                       EconomicInputs(benefits={"time saved": [0.0, 70.0, 70.0]}))
    >>> round(r.enpv.amount, 2), round(r.err, 4), round(r.bc_ratio, 3)
    (11.56, 0.1307, 1.098)
    """
    inputs = inputs or EconomicInputs()
    lines, conversion = economic_lines(flows, params, inputs)
    stacked = np.vstack(list(lines.values()))
    net = stacked.sum(axis=0)
    rate = params.social_discount_rate
    pv_b = npv(rate, np.clip(stacked, 0.0, None).sum(axis=0))
    pv_c = npv(rate, np.clip(-stacked, 0.0, None).sum(axis=0))
    if pv_c <= 0:
        raise AppraisalError(
            "the project has no economic costs, so B/C is undefined; check the cost lines"
        )
    err, note = irr_or_reason(net)

    def money(x: float) -> Money:
        return Money(float(x), flows.currency, flows.price_base_year)

    return EconomicResult(
        lines=lines,
        flows=net,
        social_discount_rate=rate,
        enpv=money(npv(rate, net)),
        err=err,
        err_note=note,
        bc_ratio=float(pv_b / pv_c),
        pv_benefits=money(pv_b),
        pv_costs=money(pv_c),
        carbon_conversion=conversion,
    )
