"""Charts of a bundle: the budget curve and the ENPV / gap-closure frontier (SVG)."""

from __future__ import annotations

from markupsafe import Markup

from app.core.charts import PALETTE, SMALL_TEXT, cached_chart, figure, to_svg

__all__ = ["budget_curve_svg", "frontier_svg"]


@cached_chart
def budget_curve_svg(
    points: list[dict], *, currency: str, price_base_year: int, score_unit: str
) -> Markup | None:
    """Best value against the total yearly capex budget, each step labelled with what
    one extra million bought."""
    usable = [p for p in points if p.get("objective") is not None]
    if len(usable) < 2:
        return None
    xs = [p["budget"] / 1e6 for p in usable]
    ys = [p["objective"] for p in usable]
    with figure(title="Budget curve: best value as the yearly capex budgets scale") as (fig, ax):
        ax.step(xs, ys, where="post", color=PALETTE[0], linewidth=1.6)
        ax.plot(xs, ys, "o", color=PALETTE[0], markersize=4)
        for p, x, y in zip(usable, xs, ys, strict=True):
            if p.get("scale") == 1.0:
                ax.plot([x], [y], "o", color=PALETTE[1], markersize=8, label="budgets as set")
            if p.get("marginal"):  # only where an extra million bought something
                ax.annotate(
                    f"+{p['marginal']:,.2g} per {currency} 1 m",
                    (x, y),
                    textcoords="offset points",
                    xytext=(4, -12),
                    fontsize=SMALL_TEXT,
                )
        ax.set_xlabel(f"Total capex budget, all years ({currency} m, {price_base_year} prices)")
        ax.set_ylabel(f"Best value ({score_unit})")
        ax.grid(alpha=0.3)
        if any(p.get("scale") == 1.0 for p in usable):
            ax.legend(loc="lower right", fontsize=SMALL_TEXT, frameon=False)
        description = (
            f"Budget curve: best value in {score_unit} for total capex budgets from "
            f"{currency} {xs[0]:,.1f} m to {xs[-1]:,.1f} m ({price_base_year} prices)."
        )
        return to_svg(fig, description=description)


@cached_chart
def frontier_svg(
    points: list[dict], *, chosen: tuple[float, float] | None, currency: str, price_base_year: int
) -> Markup | None:
    """Efficient bundles: total ENPV against total gap closure, the chosen one marked."""
    if not points:
        return None
    xs = [p["gap"] for p in points]
    ys = [p["enpv"] / 1e6 for p in points]
    with figure(title="ENPV / gap-closure frontier (efficient bundles)") as (fig, ax):
        if chosen is not None:  # hollow and under the frontier, so a point on it shows
            ax.plot(
                [chosen[0]],
                [chosen[1] / 1e6],
                "D",
                markerfacecolor="none",
                markeredgecolor=PALETTE[1],
                markeredgewidth=2,
                markersize=12,
                label="this bundle",
            )
        ax.plot(xs, ys, "-o", color=PALETTE[2], markersize=5, label="efficient bundles")
        ax.set_xlabel("Gap closure (sum of the closed KPI gaps, each 0-1, weighted by size)")
        ax.set_ylabel(f"Total ENPV ({currency} m, {price_base_year} prices)")
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize=SMALL_TEXT, frameon=False)
        description = (
            f"Frontier of {len(points)} efficient bundles: ENPV from {currency} "
            f"{min(ys):,.1f} m to {max(ys):,.1f} m against gap closure from {min(xs):,.2f} "
            f"to {max(xs):,.2f}."
        )
        return to_svg(fig, description=description)
