"""A PPP project's risk register and optimism bias in its value for money.

A PPP project's ``assumptions["ppp"]`` may hold

* ``"risk_register"``: a list of ``{"name", "probability", "low", "most_likely",
  "high", "transferable"}`` (costs in the project's currency and price base), whose
  expected costs replace the share-based transferable and retained risk lines of the
  PSC (spread over the construction years as the capex is); the P50 and P90 of the
  register's total come from a Monte Carlo of :data:`DRAWS` draws with a fixed seed;
* ``"optimism_bias": {"project_type", "bound"}``: the Green Book uplift of the capex,
  a PSC component.

:func:`vfm_risks_of` keeps them in a snapshot's ``methods`` (the whole-pipeline batch
sends such runs to the single path); :func:`vfm_risk_lines` gives the PSC lines and
what the run page shows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from appraisal.errors import InvalidParameterError
from appraisal.finance.risk_register import Risk, optimism_bias, risk_register

__all__ = ["DRAWS", "SEED", "vfm_risk_lines", "vfm_risks_of"]

DRAWS = 10_000
SEED = 20_141  # fixed: a run's P50 and P90 are reproducible


def vfm_risks_of(ppp: Mapping) -> dict | None:
    """The risk register and optimism bias of a project's PPP assumptions, as given."""
    out = {k: ppp[k] for k in ("risk_register", "optimism_bias") if ppp.get(k)}
    return out or None


def _risks(given) -> list[Risk]:
    if not isinstance(given, list):
        raise InvalidParameterError("the risk register must be a list of risks")
    risks = []
    for item in given:
        try:
            risks.append(
                Risk(
                    str(item["name"]),
                    item["probability"],
                    item["low"],
                    item["most_likely"],
                    item["high"],
                    bool(item.get("transferable", True)),
                )
            )
        except (KeyError, TypeError):
            raise InvalidParameterError(
                "each risk needs name, probability, low, most_likely and high "
                "(and transferable: true or false)"
            ) from None
    return risks


def vfm_risk_lines(spec: Mapping, capex: np.ndarray) -> tuple[dict, dict]:
    """PSC lines (``transferable_risk``, ``retained_risk``, ``optimism_bias``, each only
    when chosen) spread as the capex, and the ``risk_register`` part of the layout."""
    total = float(capex.sum())
    share = capex / total
    lines: dict = {}
    layout: dict = {}
    if spec.get("risk_register"):
        reg = risk_register(_risks(spec["risk_register"]), draws=DRAWS, seed=SEED)
        lines["transferable_risk"] = share * reg.transferable_expected
        lines["retained_risk"] = share * reg.retained_expected
        layout["register"] = {
            "risks": spec["risk_register"],
            "expected": reg.expected,
            "transferable_expected": reg.transferable_expected,
            "retained_expected": reg.retained_expected,
            "p50": reg.p50,
            "p90": reg.p90,
            "draws": reg.draws,
            "seed": reg.seed,
        }
    ob = spec.get("optimism_bias")
    if ob:
        if not isinstance(ob, Mapping):
            raise InvalidParameterError(
                'optimism_bias must be {"project_type": ..., "bound": "upper" or "lower"}'
            )
        bias = optimism_bias(total, str(ob.get("project_type")), ob.get("bound", "upper"))
        lines["optimism_bias"] = share * bias.uplift
        layout["optimism_bias"] = {
            "project_type": bias.project_type,
            "bound": bias.bound,
            "rate": bias.rate,
            "uplift": bias.uplift,
            "source": bias.source,
        }
    return lines, layout
