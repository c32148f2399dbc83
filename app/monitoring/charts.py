"""The trajectory of one KPI of one city: recorded values, reported actuals and the
plan over the years, against the target (SVG; cached by its exact data, like the
profile charts, because matplotlib is slow and the figures change rarely)."""

from __future__ import annotations

import functools

from markupsafe import Markup
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from app.core.charts import PALETTE, SMALL_TEXT, figure, to_svg

__all__ = ["trajectory_chart"]

Points = tuple[tuple[int, float], ...]


def trajectory_chart(trajectory) -> Markup | None:
    """Line chart of a :class:`app.monitoring.service.Trajectory`, or None without data."""
    kpi = trajectory.kpi
    if kpi is None or not (trajectory.values or trajectory.actuals):
        return None
    target = trajectory.target
    return _render(
        f"{kpi.code}: {kpi.name}"[:90],
        kpi.code,
        kpi.unit or "unit not stated",
        tuple((v.year, v.value) for v in trajectory.values),
        tuple((r.year, a.actual) for r, a in trajectory.actuals if a.actual is not None),
        tuple((r.year, a.planned) for r, a in trajectory.actuals if a.planned is not None),
        (target.value, target.target_year) if target is not None else None,
    )


def _describe(name: str, points: Points) -> str:
    return f"{name} " + ", ".join(f"{year}: {value:g}" for year, value in points)


@functools.lru_cache(maxsize=256)
def _render(
    title: str,
    code: str,
    unit: str,
    values: Points,
    actual: Points,
    planned: Points,
    target: tuple[float, int | None] | None,
) -> Markup:
    described = []
    with figure(7.0, 3.8, title=title) as (fig, ax):
        lines = (
            ("Recorded value", values, {"marker": "o", "color": PALETTE[0]}),
            ("Reported actual", actual, {"marker": "s", "linestyle": "--", "color": PALETTE[1]}),
            (
                "Planned (progress reports)",
                planned,
                {"marker": "^", "linestyle": ":", "color": PALETTE[4], "fillstyle": "none"},
            ),
        )
        for label, points, style in lines:
            if points:
                ax.plot(*zip(*points, strict=True), label=label, **style)
                described.append(_describe(label.lower(), points))
        if target is not None:
            value, year = target
            label = f"Target {value:g}" + (f" by {year}" if year else "")
            ax.axhline(value, color=PALETTE[2], linewidth=1.5, label=label)
            if year:
                ax.plot([year], [value], marker="*", markersize=12, color=PALETTE[2])
            described.append(label.lower())
        years = [year for _, points, _ in lines for year, _ in points]
        years += [target[1]] if target is not None and target[1] else []
        if years:  # one point alone would get an axis of about ±5 % of the year: ±100 years
            ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))  # 2020, not 2020.0
        ax.set_xlabel("Year")
        ax.set_ylabel(unit[:40])
        ax.legend(fontsize=SMALL_TEXT, loc="best")
        return to_svg(fig, description=f"Trajectory of {code} ({unit}): " + "; ".join(described))
