"""Charts of a city profile: gap per sector and score per category (SVG).

Rendering with matplotlib takes a tenth of a second or more per chart, while the data
behind a profile changes rarely; so charts are cached by their exact data (the same
figures always give the same SVG, so a cached chart is never stale).
"""

from __future__ import annotations

import functools

from markupsafe import Markup

from app.charts import BAND_COLOURS, PALETTE, figure, to_svg

__all__ = ["category_score_chart", "sector_gap_chart"]

CACHED_CHARTS = 512


def _band_of_share(share: float) -> int:
    # Colour a score like the U4SSC band of the same share of the maximum.
    return 4 if share >= 0.95 else 3 if share >= 0.66 else 2 if share >= 0.33 else 1


def sector_gap_chart(sectors: list[dict]) -> Markup | None:
    """Horizontal bars: mean gap to target (% of target) of the scored KPIs per sector."""
    rows = sorted(
        (round(s["mean_gap"] * 100, 1), s["sector"], s["kpis_scored"])
        for s in sectors
        if s["mean_gap"] is not None
    )
    return _sector_svg(tuple(rows)) if rows else None


@functools.lru_cache(maxsize=CACHED_CHARTS)
def _sector_svg(rows: tuple[tuple[float, str, int], ...]) -> Markup:
    height = 1.2 + 0.32 * len(rows)
    with figure(7.0, height, title="Mean gap to target per sector") as (fig, ax):
        values = [gap for gap, _, _ in rows]
        ax.barh([f"{name} ({n} KPIs)" for _, name, n in rows], values, color=PALETTE[0])
        for y, value in enumerate(values):
            ax.text(value + 1, y, f"{value:.0f} %", va="center", fontsize=8)
        ax.set_xlim(0, 110)
        ax.set_xlabel("Mean gap to target (% of target; 0 % = target reached)")
        ax.tick_params(axis="y", labelsize=8)
        return to_svg(
            fig,
            description="Bar chart of the mean gap to target per sector: "
            + "; ".join(f"{name} {gap:.0f} %" for gap, name, _ in rows),
        )


def category_score_chart(categories: list[dict]) -> Markup | None:
    """Horizontal bars: U4SSC points over the maximum (%) per category, band-coloured."""
    rows = sorted(
        (c["score"], c["category"], c["points"], c["max_points"], c["kpis_scored"], c["kpis"])
        for c in categories
        if c["kpis_scored"]
    )
    return _category_svg(tuple(rows)) if rows else None


@functools.lru_cache(maxsize=CACHED_CHARTS)
def _category_svg(rows: tuple[tuple, ...]) -> Markup:
    height = 1.2 + 0.32 * len(rows)
    with figure(7.0, height, title="Category score (points over maximum)") as (fig, ax):
        labels = [f"{name} ({scored}/{kpis} KPIs)" for _, name, _, _, scored, kpis in rows]
        values = [score * 100 for score, *_ in rows]
        colours = [BAND_COLOURS[_band_of_share(score)] for score, *_ in rows]
        ax.barh(labels, values, color=colours)
        for y, (value, row) in enumerate(zip(values, rows, strict=True)):
            ax.text(value + 1, y, f"{row[2]:.0f}/{row[3]:.0f}", va="center", fontsize=8)
        ax.set_xlim(0, 115)
        ax.set_xlabel("Score (% of the maximum U4SSC points; 100 % = every KPI at 95 %+)")
        ax.tick_params(axis="y", labelsize=8)
        return to_svg(
            fig,
            description="Bar chart of the score per category: "
            + "; ".join(f"{row[1]} {row[2]:.0f} of {row[3]:.0f} points" for row in rows),
        )
