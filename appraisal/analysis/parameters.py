"""Named, versioned appraisal parameter sets, each value with its source.

No discount rate, conversion factor or carbon price is written into the appraisal
code: a CBA always runs under a :class:`ParameterSet` picked by name (and version),
so a result can say which rules it followed. Change a value with :meth:`ParameterSet.derive`,
which gives the variant a new name and requires a source for it.

Values marked ``recalled`` in a set's ``sources`` were not read in the source during
this work and should be checked against it before publication.
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
    "EIB_2020_CARBON_PATH",
    "available_parameter_sets",
    "get_parameter_set",
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
        >>> EIB_2020_CARBON_PATH.price([2030, 2040, 2050, 2060]).tolist()
        [250.0, 525.0, 800.0, 800.0]
        """
        xs = np.array([y for y, _ in self.points], dtype=float)
        ps = np.array([p for _, p in self.points], dtype=float)
        return np.interp(np.asarray(years, dtype=float), xs, ps)


EIB_2020_CARBON_PATH = CarbonPricePath(
    points=((2020, 80.0), (2030, 250.0), (2050, 800.0)),
    currency="EUR",
    price_base_year=2016,
    source=(
        "EIB Group Climate Bank Roadmap 2021-2025 (European Investment Bank, November 2020, "
        "ISBN 978-92-861-4908-5): shadow cost of carbon rising to EUR 250/tCO2e by 2030 and "
        "EUR 800/tCO2e by 2050 (read in the Roadmap text and in E3G's Public Bank Climate "
        "Tracker, which states the values are in 2016 prices); the 2020 starting value of "
        "EUR 80 is recalled from the Roadmap's chart, not read"
    ),
)


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


_CBA_GUIDE_2014 = (
    "European Commission, Guide to Cost-Benefit Analysis of Investment Projects: Economic "
    "appraisal tool for Cohesion Policy 2014-2020 (December 2014), doi:10.2776/97516"
)
_REG_480 = "Commission Delegated Regulation (EU) No 480/2014"
_REFERENCE_PERIODS_2014 = {
    "railways": (30, 30),
    "water supply and sanitation": (30, 30),
    "roads": (25, 30),
    "waste management": (25, 30),
    "ports and airports": (25, 25),
    "urban transport": (25, 30),
    "energy": (15, 25),
    "research and innovation": (15, 25),
    "broadband": (15, 20),
    "business infrastructure": (10, 15),
    "other sectors": (10, 15),
}

_EU_2014_2020 = ParameterSet(
    name="EU 2014-2020",
    version="2014.12-eib2020carbon",
    financial_discount_rate=0.04,
    social_discount_rate=0.05,
    standard_conversion_factor=1.0,
    shadow_wage_factor=1.0,
    cofinancing_rate=0.85,
    carbon_price=EIB_2020_CARBON_PATH,
    reference_periods=_REFERENCE_PERIODS_2014,
    sources={
        "financial_discount_rate": f"{_REG_480}, Article 19(2): 4 % real as the benchmark",
        "social_discount_rate": (
            f"{_CBA_GUIDE_2014}, section 2.9.5 and Annex: 5 % real for major projects in "
            "Cohesion countries, 3 % for the other Member States"
        ),
        "standard_conversion_factor": (
            f"{_CBA_GUIDE_2014}: conversion factors of 1 where market prices are not "
            "distorted (EU Member States' open trade); a neutral default, override per project"
        ),
        "shadow_wage_factor": (
            f"{_CBA_GUIDE_2014}, section 2.9.3: the shadow wage depends on regional "
            "unemployment; 1.0 is a neutral default (no labour market distortion), recalled"
        ),
        "cofinancing_rate": (
            "Regulation (EU) No 1303/2013, Article 120(3): up to 85 % for the Cohesion Fund "
            "and less developed regions"
        ),
        "carbon_price": EIB_2020_CARBON_PATH.source,
        "reference_periods": f"{_REG_480}, Annex I (ranges recalled, not re-read)",
    },
    notes=(
        "Rates are real (constant prices). The carbon path replaces the Guide's own 2014 "
        "values with the EIB's 2020 path, as DOMAIN.md prescribes."
    ),
)

_EU_2014_2020_NON_COHESION = _EU_2014_2020.derive(
    "EU 2014-2020 non-cohesion",
    _EU_2014_2020.version,
    source=_EU_2014_2020.sources["social_discount_rate"],
    social_discount_rate=0.03,
)

_SETS: dict[tuple[str, str], ParameterSet] = {
    (s.name, s.version): s for s in (_EU_2014_2020, _EU_2014_2020_NON_COHESION)
}


def available_parameter_sets() -> list[tuple[str, str]]:
    """The (name, version) of every built-in set.

    Examples
    --------
    >>> ("EU 2014-2020", "2014.12-eib2020carbon") in available_parameter_sets()
    True
    """
    return sorted(_SETS)


def get_parameter_set(name: str, version: str | None = None) -> ParameterSet:
    """A built-in parameter set by name, the latest version unless one is given.

    Raises
    ------
    InvalidParameterError
        No set of that name (or version); the message lists those that exist.

    Examples
    --------
    >>> p = get_parameter_set("EU 2014-2020")
    >>> p.financial_discount_rate, p.social_discount_rate, p.cofinancing_rate
    (0.04, 0.05, 0.85)
    >>> get_parameter_set("EU 2014-2020 non-cohesion").social_discount_rate
    0.03
    """
    versions = sorted(v for (n, v) in _SETS if n == name)
    if not versions:
        names = sorted({n for n, _ in _SETS})
        raise InvalidParameterError(f"no parameter set named {name!r}; choose one of {names}")
    if version is None:
        version = versions[-1]
    if (name, version) not in _SETS:
        raise InvalidParameterError(
            f"parameter set {name!r} has no version {version!r}; versions: {versions}"
        )
    return _SETS[(name, version)]
