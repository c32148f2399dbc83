"""The data of a product package (``appraisal.bundling.packages``) and its totals.

The package's figures add its solutions' present values up (same discount rates and
price base, so they add): capex, opex, ENPV and B/C over the solutions that have a
benefit basis (the others are counted, not guessed), and the funding gap rate
``(DIC - DNR) / DIC`` of the EU method over all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Offer", "SharedGap", "PackageLine", "Package", "PackageTotals", "package_totals"]


@dataclass(frozen=True)
class Offer:
    """A catalogue solution with its unit costs on the package's price base."""

    key: str
    name: str
    sector: str
    unit: str
    kpi_codes: tuple[str, ...]
    unit_capex: float
    unit_opex: float  # a year, per unit
    lifetime_years: int
    per_inhabitant: float | None  # units per inhabitant; None = one for the whole city
    annual_benefit_per_unit: float | None = None  # economic benefit a year (stated)
    benefit_source: str = "illustrative"
    annual_revenue_per_unit: float = 0.0
    co2_tonnes_per_unit: float = 0.0  # CO2 avoided a year, valued at the set's carbon price


@dataclass(frozen=True)
class SharedGap:
    """A KPI on which most members of a group fall short of the target."""

    code: str
    members_with_gap: int
    members_without_data: int
    members: int
    median_gap: float  # over the members with a value

    @property
    def share(self) -> float:
        return self.members_with_gap / self.members

    def sentence(self) -> str:
        return (
            f"{self.code}: {self.members_with_gap} of {self.members} members fall short "
            f"(median gap {self.median_gap * 100:.0f} % of the target; "
            f"{self.members_without_data} without data)"
        )


@dataclass(frozen=True)
class PackageLine:
    """One solution of a package, sized and appraised."""

    offer: Offer
    quantity: int
    quantity_note: str
    capex: float
    annual_opex: float
    closes: tuple[str, ...]  # shared-gap KPIs it moves
    score: float  # median gap it could close
    funding_gap_rate: float
    dic: float  # discounted investment cost (financial rate)
    dnr: float  # discounted net revenue
    enpv: float | None
    bc_ratio: float | None
    pv_benefits: float | None
    pv_costs: float | None
    appraisal_note: str


@dataclass(frozen=True)
class PackageTotals:
    """A package's indicative appraisal: sums of its lines' present values."""

    capex: float
    annual_opex: float
    lines: int
    appraised: int  # lines with a benefit basis, so an ENPV and B/C
    enpv: float | None  # over the appraised lines
    bc_ratio: float | None
    pv_benefits: float | None
    pv_costs: float | None
    funding_gap_rate: float | None  # over all lines


def package_totals(lines: Iterable) -> PackageTotals:
    """Totals of lines carrying ``capex``, ``annual_opex``, ``dic``, ``dnr`` and
    ``enpv``, ``pv_benefits``, ``pv_costs`` (None when the line has no benefit basis).

    >>> from types import SimpleNamespace as L
    >>> t = package_totals([L(capex=100, annual_opex=2, dic=100, dnr=20, enpv=50,
    ...                       pv_benefits=150, pv_costs=100),
    ...                     L(capex=50, annual_opex=1, dic=50, dnr=0, enpv=None,
    ...                       pv_benefits=None, pv_costs=None)])
    >>> (t.capex, t.appraised, t.enpv, t.bc_ratio, round(t.funding_gap_rate, 4))
    (150.0, 1, 50.0, 1.5, 0.8667)
    """
    lines = list(lines)
    dic = sum(float(line.dic) for line in lines)
    gap = None
    if dic > 0:
        gap = min(1.0, max(0.0, (dic - sum(float(line.dnr) for line in lines)) / dic))
    appraised = [line for line in lines if line.enpv is not None]
    enpv = benefits = costs = bc = None
    if appraised:
        enpv = float(sum(float(line.enpv) for line in appraised))
        benefits = float(sum(float(line.pv_benefits) for line in appraised))
        costs = float(sum(float(line.pv_costs) for line in appraised))
        bc = benefits / costs if costs else None
    return PackageTotals(
        capex=float(sum(float(line.capex) for line in lines)),
        annual_opex=float(sum(float(line.annual_opex) for line in lines)),
        lines=len(lines),
        appraised=len(appraised),
        enpv=enpv,
        bc_ratio=bc,
        pv_benefits=benefits,
        pv_costs=costs,
        funding_gap_rate=gap,
    )


@dataclass(frozen=True)
class Package:
    """The solutions for a group's shared gaps, for its typical city, on one price base."""

    gaps: tuple[SharedGap, ...]
    lines: tuple[PackageLine, ...]
    population: int
    population_note: str
    currency: str
    price_base_year: int
    horizon_years: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def totals(self) -> PackageTotals:
        return package_totals(self.lines)

    @property
    def capex(self) -> float:
        return self.totals.capex

    @property
    def annual_opex(self) -> float:
        return self.totals.annual_opex

    @property
    def enpv(self) -> float | None:
        """Sum of the ENPV of the lines with a benefit basis (None when none has one)."""
        return self.totals.enpv

    @property
    def bc_ratio(self) -> float | None:
        return self.totals.bc_ratio

    @property
    def funding_gap_rate(self) -> float | None:
        return self.totals.funding_gap_rate
