"""The financing plan's chart: sources stacked beside uses, year by year."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from markupsafe import Markup
from matplotlib.ticker import MaxNLocator

from app.appraisals.charts import money_axis, money_scale
from app.core.charts import PALETTE, SMALL_TEXT, cached_chart, figure, to_svg
from app.financing.plan import SOURCE_LABELS, USE_LABELS

__all__ = ["sources_uses_chart"]

_USE_COLOURS = ["#a3abb5", "#c4c9d0", "#dde1e6", "#eef0f3"]  # greys apart from equity's
_SOURCE_COLOURS = [*PALETTE, "#0e7490", "#9d174d"]


@cached_chart
def sources_uses_chart(results: Mapping) -> Markup | None:
    """Per year with money in the plan: a stacked bar of sources and one of uses."""
    if not results or "error" in results:
        return None
    years = np.asarray(results["years"])
    total = np.asarray(results["total_uses"], dtype=float)
    shown = np.flatnonzero(total > 0)
    if shown.size == 0:
        return None
    x = years[shown]
    factor, unit = money_scale(total[shown])
    width = 0.38
    with figure(7.0, 3.4, title="Financing plan: sources and uses per year") as (fig, ax):
        bottom = np.zeros(shown.size)
        for colour, (kind, values) in zip(
            _SOURCE_COLOURS, results["sources"].items(), strict=False
        ):
            v = np.asarray(values, dtype=float)[shown] / factor
            if v.any():
                ax.bar(x - width / 2, v, width, bottom=bottom, color=colour,
                       label=SOURCE_LABELS[kind])  # fmt: skip
                bottom += v
        bottom = np.zeros(shown.size)
        for colour, (kind, values) in zip(_USE_COLOURS, results["uses"].items(), strict=False):
            v = np.asarray(values, dtype=float)[shown] / factor
            if v.any():
                ax.bar(x + width / 2, v, width, bottom=bottom, color=colour, hatch="//",
                       edgecolor="#4a5562", label=f"use: {USE_LABELS[kind]}")  # fmt: skip
                bottom += v
        ax.set_xlabel("Year (left bar: sources, right bar: uses)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(
            money_axis("Amount", unit, results).replace(" (", "\n(", 1), fontsize=SMALL_TEXT
        )
        ax.legend(fontsize=SMALL_TEXT, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return to_svg(
            fig,
            description=(
                f"Sources and uses of the financing plan per year from {x[0]} to {x[-1]}, "
                f"in {results['currency']}{unit}, {results['price_basis']}"
            ),
        )
