"""Charts of an appraisal run: tornado of the ENPV, Monte Carlo histogram, cash flows.

Each takes the JSON kept in ``AppraisalRun.results`` and returns inline SVG, or None
when the run has nothing to draw.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from markupsafe import Markup
from matplotlib.ticker import MaxNLocator

from app.core.charts import PALETTE, SMALL_TEXT, cached_chart, figure, legend_beside, to_svg

__all__ = ["cashflow_chart", "histogram_chart", "money_axis", "money_scale", "tornado_chart"]

VARIABLE_NAMES = {
    "capex": "Investment cost",
    "opex": "Operating cost",
    "revenue": "Revenue",
    "benefits": "Economic benefits",
}


def money_scale(values: np.ndarray) -> tuple[float, str]:
    size = float(np.nanmax(np.abs(values))) if values.size else 0.0
    if size >= 1e9:
        return 1e9, " bn"
    if size >= 1e6:
        return 1e6, " m"
    if size >= 1e4:
        return 1e3, " k"
    return 1.0, ""


_UNIT_WORDS = {" bn": "billions", " m": "millions", " k": "thousands", "": "units"}


def money_axis(what: str, unit: str, results: Mapping) -> str:
    """E.g. ``ENPV (millions of EUR, constant 2024 prices)``."""
    return f"{what} ({_UNIT_WORDS[unit]} of {results['price_basis']})"


@cached_chart
def tornado_chart(results: Mapping) -> Markup | None:
    """ENPV at the low and the high end of each variable's range, widest swing on top."""
    bars = (results.get("sensitivity") or {}).get("tornado")
    if not bars:
        return None
    base = results["sensitivity"]["base"]
    lows = np.array([b["npv_low"] for b in bars])
    highs = np.array([b["npv_high"] for b in bars])
    factor, unit = money_scale(np.concatenate([lows, highs, [base]]))
    labels = [
        f"{VARIABLE_NAMES.get(b['variable'], b['variable'])}\n"
        f"({(b['low'] - 1) * 100:+.0f} % / {(b['high'] - 1) * 100:+.0f} %)"
        for b in bars
    ]
    y = np.arange(len(bars))[::-1]
    with figure(7.0, 1.2 + 0.7 * len(bars), title="Sensitivity of the ENPV (tornado)") as (
        fig,
        ax,
    ):
        ax.barh(y, (lows - base) / factor, left=base / factor, color=PALETTE[3], label="low end")
        ax.barh(y, (highs - base) / factor, left=base / factor, color=PALETTE[0], label="high end")
        ax.axvline(base / factor, color="#222", linewidth=1)
        ax.axvline(0, color="#888", linewidth=0.8, linestyle="--")
        ax.set_yticks(y, labels, fontsize=SMALL_TEXT)
        ax.set_xlabel(money_axis("ENPV", unit, results))
        legend_beside(ax)
        description = "Tornado chart of the ENPV: " + "; ".join(
            f"{VARIABLE_NAMES.get(b['variable'], b['variable'])} from "
            f"{b['npv_low'] / factor:,.1f} to {b['npv_high'] / factor:,.1f}"
            f"{unit} {results['currency']}"
            for b in bars
        )
        return to_svg(fig, description=description)


@cached_chart
def histogram_chart(results: Mapping) -> Markup | None:
    """Distribution of the ENPV over the Monte Carlo draws, the zero line marked."""
    mc = results.get("monte_carlo")
    if not mc or not mc.get("histogram"):
        return None
    edges = np.asarray(mc["histogram"]["edges"], dtype=float)
    counts = np.asarray(mc["histogram"]["counts"], dtype=float)
    factor, unit = money_scale(edges)
    share = counts / max(1.0, counts.sum()) * 100
    mids = (edges[:-1] + edges[1:]) / 2 / factor
    widths = np.diff(edges) / factor
    colours = [PALETTE[3] if m < 0 else PALETTE[0] for m in mids]
    with figure(7.0, 3.4, title=f"ENPV over {mc['draws']:,} Monte Carlo draws") as (fig, ax):
        ax.bar(mids, share, width=widths, color=colours, edgecolor="white", linewidth=0.3)
        ax.axvline(0, color="#222", linewidth=1)
        ax.set_xlabel(money_axis("ENPV", unit, results))
        ax.set_ylabel("Share of draws (%)")
        p_neg = mc["enpv"]["p_negative"]
        text = "n/a" if p_neg is None else f"{p_neg * 100:.1f} %"
        description = (
            f"Histogram of the ENPV over {mc['draws']:,} draws; P(ENPV < 0) = {text}; "
            f"mean {(mc['enpv']['mean'] or 0) / factor:,.1f}{unit} {results['currency']}"
        )
        return to_svg(fig, description=description)


@cached_chart
def cashflow_chart(results: Mapping) -> Markup | None:
    """Net financial cash flow per year and its cumulated total with financing."""
    flows = results.get("flows")
    if not flows:
        return None
    years = np.asarray(flows["years"])
    net = np.asarray(flows["net"], dtype=float)
    cumulated = np.asarray(results["financial"]["sustainability"]["cumulated"], dtype=float)
    factor, unit = money_scale(np.concatenate([net, cumulated]))
    with figure(
        7.0, 3.2, title="Net cash flow (FNPV/C flow) and cumulated cash with financing"
    ) as (
        fig,
        ax,
    ):
        ax.bar(years, net / factor, color=PALETTE[0], label="net cash flow")
        ax.plot(years, cumulated / factor, color=PALETTE[1], label="cumulated, with financing")
        ax.axhline(0, color="#222", linewidth=0.8)
        ax.set_xlabel("Year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(
            money_axis("Cash flow", unit, results).replace(" (", "\n(", 1), fontsize=SMALL_TEXT
        )
        ax.legend(fontsize=SMALL_TEXT, frameon=False)
        return to_svg(
            fig,
            description=(
                f"Net cash flow by year from {years[0]} to {years[-1]}, "
                f"in {results['currency']}{unit}, {results['price_basis']}"
            ),
        )
