"""The ``monte_carlo`` part of an appraisal run: summaries and the ENPV histogram."""

from __future__ import annotations

import numpy as np

from app.appraisals.inputs import finite_or_none
from app.appraisals.ppp_results import floats
from appraisal.uncertainty.montecarlo import Summary, cba_monte_carlo

__all__ = ["HISTOGRAM_BINS", "monte_carlo_layout", "summary_stats"]

HISTOGRAM_BINS = 40


def summary_stats(s: Summary) -> dict:
    """Mean, median, SD, percentiles and the share below zero, JSON-safe."""
    return {
        "mean": finite_or_none(s.mean),
        "median": finite_or_none(s.median),
        "sd": finite_or_none(s.sd),
        "percentiles": {f"{p:g}": finite_or_none(v) for p, v in s.percentiles.items()},
        "p_negative": finite_or_none(s.p_negative),
        "count": s.count,
        "undefined": s.undefined,
    }


def monte_carlo_layout(
    flows, params, economic, snap, distributions, drivers, financial_lines=None
) -> dict | None:
    """The ``monte_carlo`` part of a run, or None when the run draws nothing
    (``financial_lines``: the FNPV/C lines with VAT and working capital, when the run
    has them)."""
    mc = snap["monte_carlo"]
    if mc["draws"] <= 0 or not distributions:
        return None
    r = cba_monte_carlo(
        flows,
        params,
        distributions,
        drivers,
        economic=economic,
        draws=mc["draws"],
        seed=mc["seed"],
        financial_lines=financial_lines,
    )
    finite = r.enpv_draws[np.isfinite(r.enpv_draws)]
    counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS)
    return {
        "draws": mc["draws"],
        "seed": mc["seed"],
        "variables": {k: mc["variables"][k] for k in distributions},
        "enpv": summary_stats(r.enpv),
        "fnpv_c": summary_stats(r.fnpv),
        "err": summary_stats(r.err),
        "histogram": {"edges": floats(edges), "counts": [int(c) for c in counts]},
    }
