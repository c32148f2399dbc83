"""What a parameter set is: its values, their checks, and its plain-data form.

:class:`ParameterSet` and :class:`CarbonPricePath` are the types; the built-in sets
are data (``appraisal/data/parameter_sets.json``) loaded by
:mod:`appraisal.analysis.parameters`, which is the public module (it re-exports these
types). Two levels of checking:

* the types refuse values that cannot be computed with (a rate <= -1, a negative
  conversion factor), so a run with an unusual override still works;
* :func:`sense_problems` refuses values outside what any published guidance uses
  (a discount rate below 0 or above 20 %, a conversion factor <= 0 or above 3), for
  sets that staff save and for the built-in data.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from appraisal.errors import InvalidParameterError

__all__ = [
    "CarbonPricePath",
    "ParameterSet",
    "EDITABLE_VALUES",
    "SENSE_LIMITS",
    "sense_problems",
]


@dataclass(frozen=True)
class CarbonPricePath:
    """A shadow price of carbon per tonne of CO2-equivalent, by calendar year.

    Linear between the given points and flat before the first and after the last
    (the source publishes no value beyond its horizon, so none is invented).

    Attributes
    ----------
    points : tuple of (year, price)
        Ascending years.
    currency : str
    price_base_year : int
        The prices are constant prices of this year.
    source : str
    """

    points: tuple[tuple[int, float], ...]
    currency: str
    price_base_year: int
    source: str

    def __post_init__(self) -> None:
        years = [y for y, _ in self.points]
        if not years or years != sorted(set(years)):
            raise InvalidParameterError(
                f"carbon price points need distinct ascending years, got {years}"
            )
        if any(not math.isfinite(p) or p < 0 for _, p in self.points):
            raise InvalidParameterError("carbon prices must be finite and >= 0")

    def price(self, years: int | Sequence[int] | np.ndarray) -> np.ndarray:
        """Shadow price per tonne in each of ``years`` (constant ``price_base_year`` prices).

        Examples
        --------
        >>> from appraisal.analysis.parameters import EIB_2020_CARBON_PATH
        >>> EIB_2020_CARBON_PATH.price([2030, 2040, 2050, 2060]).tolist()
        [250.0, 525.0, 800.0, 800.0]
        """
        xs = np.array([y for y, _ in self.points], dtype=float)
        ps = np.array([p for _, p in self.points], dtype=float)
        return np.interp(np.asarray(years, dtype=float), xs, ps)


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ParameterSet:
    """The parameters a CBA runs under, with a source for each.

    Attributes
    ----------
    name, version : str
    financial_discount_rate : float
        Real rate for the financial analysis (FNPV, funding gap).
    social_discount_rate : float
        Real rate for the economic analysis (ENPV).
    standard_conversion_factor : float
        Market-to-shadow price factor for lines without a specific one.
    shadow_wage_factor : float
        Conversion factor of the labour share of costs.
    cofinancing_rate : float
        Maximum EU co-financing rate applied to the decision amount.
    carbon_price : CarbonPricePath
    reference_periods : Mapping[str, tuple[int, int]]
        Sector -> (min, max) years of the reference period.
    sources : Mapping[str, str]
        Field name -> where the value comes from.
    notes : str
    """

    name: str
    version: str
    financial_discount_rate: float
    social_discount_rate: float
    standard_conversion_factor: float
    shadow_wage_factor: float
    cofinancing_rate: float
    carbon_price: CarbonPricePath
    reference_periods: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""

    def __post_init__(self) -> None:
        for rate_name in ("financial_discount_rate", "social_discount_rate"):
            rate = getattr(self, rate_name)
            if not math.isfinite(rate) or rate <= -1:
                raise InvalidParameterError(f"{rate_name} is {rate!r}; it must be a rate > -1")
        for cf_name in ("standard_conversion_factor", "shadow_wage_factor"):
            cf = getattr(self, cf_name)
            if not math.isfinite(cf) or cf < 0:
                raise InvalidParameterError(f"{cf_name} is {cf!r}; a conversion factor is >= 0")
        if not 0 <= self.cofinancing_rate <= 1:
            raise InvalidParameterError(
                f"cofinancing_rate is {self.cofinancing_rate!r}; give a decimal in [0, 1]"
            )
        object.__setattr__(self, "reference_periods", _frozen(self.reference_periods))
        object.__setattr__(self, "sources", _frozen(self.sources))

    def to_dict(self) -> dict:
        """The set as plain JSON-able data (:meth:`from_dict` reads it back unchanged).

        Examples
        --------
        >>> from appraisal.analysis.parameters import get_parameter_set
        >>> p = get_parameter_set("World Bank")
        >>> ParameterSet.from_dict(p.to_dict()) == p
        True
        """
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["carbon_price"] = carbon_path_to_dict(self.carbon_price)
        data["reference_periods"] = {k: list(v) for k, v in self.reference_periods.items()}
        data["sources"] = dict(self.sources)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> ParameterSet:
        """A set from :meth:`to_dict`'s data; raises InvalidParameterError on a bad value."""
        try:
            values = {name: float(data[name]) for name in EDITABLE_VALUES}
            return cls(
                name=str(data["name"]),
                version=str(data["version"]),
                carbon_price=carbon_path_from_dict(data["carbon_price"]),
                reference_periods={
                    k: (int(v[0]), int(v[1]))
                    for k, v in (data.get("reference_periods") or {}).items()
                },
                sources={str(k): str(v) for k, v in (data.get("sources") or {}).items()},
                notes=str(data.get("notes") or ""),
                **values,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidParameterError(
                f"a parameter set's data is incomplete or malformed: {exc}"
            ) from None

    def derive(self, name: str, version: str, *, source: str, **changes: object) -> ParameterSet:
        """A variant of this set with some values changed, under a new name.

        Parameters
        ----------
        name, version : str
            Identify the variant (a result shows them).
        source : str
            Why the changed values hold (regulation, national guidance, decision).
        **changes
            Fields to change, e.g. ``social_discount_rate=0.03``.

        Examples
        --------
        >>> from appraisal.analysis.parameters import get_parameter_set
        >>> base = get_parameter_set("EU 2014-2020")
        >>> city = base.derive("City X", "2025-01", source="City X council decision 12/2025",
        ...                    shadow_wage_factor=0.8)
        >>> city.shadow_wage_factor, city.sources["shadow_wage_factor"]
        (0.8, 'City X council decision 12/2025')
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise InvalidParameterError(f"unknown parameter(s) {sorted(unknown)}; check spelling")
        if not source.strip():
            raise InvalidParameterError("a derived parameter set must state its source")
        sources = dict(self.sources) | dict.fromkeys(changes, source)
        notes = f"derived from {self.name} {self.version}. {self.notes}".strip()
        return dataclasses.replace(
            self, name=name, version=version, sources=sources, notes=notes, **changes
        )


#: The single values staff may change in a copy, in the order a form shows them.
EDITABLE_VALUES = (
    "financial_discount_rate",
    "social_discount_rate",
    "standard_conversion_factor",
    "shadow_wage_factor",
    "cofinancing_rate",
)

#: (lowest, highest, lowest allowed itself?) of each value that makes sense in an appraisal.
SENSE_LIMITS: dict[str, tuple[float, float, bool]] = {
    "financial_discount_rate": (0.0, 0.20, True),
    "social_discount_rate": (0.0, 0.20, True),
    "standard_conversion_factor": (0.0, 3.0, False),
    "shadow_wage_factor": (0.0, 3.0, False),
    "cofinancing_rate": (0.0, 1.0, True),
}

_SENSE_MESSAGES = {
    "financial_discount_rate": "a discount rate between 0 and 20 %",
    "social_discount_rate": "a discount rate between 0 and 20 %",
    "standard_conversion_factor": "a conversion factor above 0 and at most 3",
    "shadow_wage_factor": "a conversion factor above 0 and at most 3",
    "cofinancing_rate": "a co-financing rate between 0 and 100 %",
}


def sense_problems(values: Mapping[str, float]) -> dict[str, str]:
    """Field -> what is wrong, for each value outside :data:`SENSE_LIMITS` (empty if none).

    Rates are decimals.

    Examples
    --------
    >>> sense_problems({"social_discount_rate": 0.25, "shadow_wage_factor": 0.0})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'social_discount_rate': 'social discount rate 25 % is outside sense: give a discount
      rate between 0 and 20 %',
     'shadow_wage_factor': 'shadow wage factor 0 is outside sense: give a conversion factor
      above 0 and at most 3'}
    >>> sense_problems({"social_discount_rate": 0.035})
    {}
    """
    problems = {}
    for name, value in values.items():
        if name not in SENSE_LIMITS:
            continue
        low, high, low_allowed = SENSE_LIMITS[name]
        ok = math.isfinite(value) and (value >= low if low_allowed else value > low)
        if not ok or value > high:
            shown = f"{value * 100:g} %" if "rate" in name else f"{value:g}"
            problems[name] = (
                f"{name.replace('_', ' ')} {shown} is outside sense: give {_SENSE_MESSAGES[name]}"
            )
    return problems


def carbon_path_to_dict(path: CarbonPricePath) -> dict:
    return {
        "points": [[int(y), float(p)] for y, p in path.points],
        "currency": path.currency,
        "price_base_year": int(path.price_base_year),
        "source": path.source,
    }


def carbon_path_from_dict(data: Mapping) -> CarbonPricePath:
    return CarbonPricePath(
        points=tuple((int(y), float(p)) for y, p in data["points"]),
        currency=str(data["currency"]),
        price_base_year=int(data["price_base_year"]),
        source=str(data["source"]),
    )
