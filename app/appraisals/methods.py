"""Appraisal methods a project opts into beside the defaults, from snapshot to layout.

A project's ``assumptions`` may choose:

* ``"residual": {"method": "net_flows", "remaining_life": years}``: the residual value
  as the present value of the net flows after the reference period (EU CBA Guide 2014,
  section 2.8.2, preferred for revenue-generating projects), at the financial discount
  rate, in place of the residual value lines;
* ``"flat_rate_sector": sector``: the funding gap also by the flat-rate net revenue
  percentage of the sector (Regulation (EU) No 1303/2013, Annex V).

:func:`methods_of` keeps the choices in a snapshot (an empty dict when none: the
whole-pipeline batch computes only those, and sends the others to the single path);
:func:`flows_with_methods` applies them to the engine's flows; :func:`methods_layout`
gives the ``methods`` part of a run (None when no method was chosen).
"""

from __future__ import annotations

from collections.abc import Mapping

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.parameters import ParameterSet
from appraisal.analysis.residual import (
    flat_rate_gap,
    residual_from_net_flows,
    with_residual,
)

__all__ = ["RESIDUAL_SOURCE", "flows_with_methods", "methods_layout", "methods_of"]

RESIDUAL_SOURCE = (
    "EU Guide to Cost-Benefit Analysis of Investment Projects (2014), section 2.8.2: "
    "present value of the net flows in the remaining life of the assets"
)


def methods_of(assumptions: Mapping) -> dict:
    """The methods a project's assumptions choose, as plain JSON for a snapshot."""
    out: dict = {}
    residual = assumptions.get("residual") or {}
    if residual.get("method") == "net_flows":
        out["residual"] = {
            "method": "net_flows",
            "remaining_life": residual.get("remaining_life"),
        }
    sector = assumptions.get("flat_rate_sector")
    if sector:
        out["flat_rate_sector"] = str(sector)
    return out


def _residual(flows: YearlyFlows, params: ParameterSet, snap: Mapping):
    spec = (snap.get("methods") or {}).get("residual")
    if not spec:
        return None
    return residual_from_net_flows(flows, params.financial_discount_rate, spec["remaining_life"])


def flows_with_methods(flows: YearlyFlows, params: ParameterSet, snap: Mapping) -> YearlyFlows:
    """The flows with the chosen residual value in place (unchanged when none is chosen).

    Raises
    ------
    InvalidParameterError
        A remaining life that is not a whole number of years > 0.
    """
    residual = _residual(flows, params, snap)
    return flows if residual is None else with_residual(flows, residual.value)


def methods_layout(snap: Mapping, flows: YearlyFlows, params: ParameterSet) -> dict | None:
    """The ``methods`` part of a run: each chosen method with its terms and source."""
    methods = snap.get("methods") or {}
    if not methods:
        return None
    out: dict = {"residual": None, "flat_rate": None}
    residual = _residual(flows, params, snap)
    if residual is not None:
        out["residual"] = {
            "yearly_net_flow": residual.yearly_net_flow,
            "remaining_life": residual.remaining_life,
            "rate": residual.rate,
            "value": residual.value,
            "note": residual.note,
            "source": RESIDUAL_SOURCE,
        }
    sector = methods.get("flat_rate_sector")
    if sector:
        gap = flat_rate_gap(sector, float(flows.capex.sum()), params.cofinancing_rate)
        out["flat_rate"] = {
            "sector": gap.sector,
            "flat_rate": gap.flat_rate,
            "source": gap.source,
            "eligible_cost": gap.eligible_cost,
            "decision_amount": gap.decision_amount,
            "cofinancing_rate": gap.cofinancing_rate,
            "grant": gap.grant,
        }
    return out
