"""What a run workbook is made from: a kept run (its inputs and results) and the few
facts about it that every sheet needs (currency, price basis, years, the parameter set,
the carbon price path, whether it has PPP debt)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from app.appraisals.inputs import parameters_from
from appraisal.analysis.cashflows import LINE_KINDS
from appraisal.analysis.parameters import ParameterSet
from appraisal.analysis.price_base import PriceBaseConversion, convert_cost

__all__ = ["Carbon", "WorkbookSource"]


@dataclass(frozen=True)
class Carbon:
    """The shadow carbon price path per year, in the path's own prices, and the factor
    that brings it to the project's currency and price base (as the engine does)."""

    path_prices: list[float]
    path_currency: str
    path_price_base_year: int
    conversion: PriceBaseConversion

    @property
    def factor(self) -> float:
        return self.conversion.factor


@dataclass(frozen=True)
class WorkbookSource:
    """One appraisal run, as kept, with what the workbook says about it."""

    run_id: int
    project_id: int
    title: str
    city: str
    illustrative: bool
    created_at: datetime
    engine_version: str
    inputs: Mapping
    results: Mapping

    @property
    def currency(self) -> str:
        return self.results["currency"]

    @property
    def price_base_year(self) -> int:
        return int(self.results["price_base_year"])

    @property
    def price_basis(self) -> str:
        """E.g. ``EUR, constant 2024 prices``."""
        return self.results["price_basis"]

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.results["flows"]["years"]]

    @property
    def start_year(self) -> int:
        return self.years[0]

    @property
    def delivery_model(self) -> str:
        return self.inputs["project"]["delivery_model"]

    def line(self, name: str) -> list[float]:
        """A yearly line as the run used it: financial lines from the engine's flows,
        benefits, externalities and CO2 tonnes from the run's snapshot."""
        if name in LINE_KINDS:
            return [float(v) for v in self.results["flows"][name]]
        return [float(v) for v in self.inputs["lines"][name]]

    @property
    def first_operating_period(self) -> int:
        """The period after the last capex (0 without capex), as the engine reads it."""
        built = np.flatnonzero(np.asarray(self.line("capex")))
        return int(built[-1]) + 1 if built.size else 0

    @functools.cached_property
    def parameters(self) -> ParameterSet:
        """The parameter set the run used, its overrides applied."""
        return parameters_from(self.inputs)

    @functools.cached_property
    def carbon(self) -> Carbon | None:
        """The carbon price path, when the run values CO2 (None otherwise, as the engine)."""
        if not any(self.line("co2_tonnes")):
            return None
        path = self.parameters.carbon_price
        conversion = convert_cost(
            1.0,
            path.currency,
            path.price_base_year,
            to_currency=self.currency,
            to_year=self.price_base_year,
        )
        prices = [float(p) for p in path.price(np.asarray(self.years))]
        return Carbon(prices, path.currency, path.price_base_year, conversion)

    @property
    def ppp(self) -> Mapping | None:
        """The PPP results when the run has them without an engine error."""
        ppp = self.results.get("ppp")
        return ppp if ppp and "error" not in ppp else None

    @property
    def has_debt(self) -> bool:
        return bool(self.ppp and (self.ppp["debt"]["amount"] or 0) > 0)

    @property
    def concession(self) -> bool:
        return self.delivery_model == "ppp_concession"

    def ppp_series(self, values: list[float]) -> list[float]:
        """A series of the operating years (debt service) laid over the whole horizon."""
        start = self.first_operating_period
        out = [0.0] * len(self.years)
        for offset, value in enumerate(values):
            out[start + offset] = float(value or 0.0)
        return out
