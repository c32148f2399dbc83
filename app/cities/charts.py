"""Charts of a city profile: gap per sector and score per category (SVG).

Horizontal bar charts are drawn as SVG directly rather than with matplotlib: a
matplotlib figure costs 150-300 ms to render here, and a profile page must serve in
well under 150 ms for any of a thousand cities. The look (palette, band colours,
labelled axes, an accessible description) is the one of app.core.charts.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.core.charts import BAND_COLOURS, PALETTE

__all__ = ["category_score_chart", "sector_gap_chart"]

# Drawn at this size (px) with 13 px labels; the profile shows it full size (issue 18).
WIDTH, LABEL_WIDTH, BAR_WIDTH = 760, 370, 310
ROW, TOP, BOTTOM = 24, 36, 48


def _band_of_share(share: float) -> int:
    # Colour a score like the U4SSC band of the same share of the maximum.
    return 4 if share >= 0.95 else 3 if share >= 0.66 else 2 if share >= 0.33 else 1


def _bars(
    rows: list[tuple[str, float, str, str]], *, title: str, axis: str, description: str
) -> Markup:
    """Bars of (label, percent 0-100, value text, colour) with a 0-100 % axis."""
    height = TOP + ROW * len(rows) + BOTTOM
    x0 = LABEL_WIDTH
    parts = [
        f'<svg role="img" aria-label="{escape(description)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{escape(description)}</title>",
        f'<text x="0" y="17" font-size="15" fill="#1b1f24">{escape(title)}</text>',
    ]
    bottom = TOP + ROW * len(rows)
    for tick in (0, 25, 50, 75, 100):
        x = x0 + BAR_WIDTH * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#d0d7de"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#4a5562">'
            f"{tick} %</text>"
        )
    for i, (label, percent, text, colour) in enumerate(rows):
        y = TOP + ROW * i
        length = BAR_WIDTH * max(0.0, min(percent, 100.0)) / 100
        parts.append(
            f'<text x="{x0 - 6}" y="{y + 16}" text-anchor="end" fill="#1b1f24">'
            f"{escape(label)}</text>"
            f'<rect x="{x0}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" fill="{colour}"/>'
            f'<text x="{x0 + length + 4:.1f}" y="{y + 16}" fill="#1b1f24">{escape(text)}</text>'
        )
    parts.append(
        f'<text x="{x0 + BAR_WIDTH / 2}" y="{bottom + 38}" text-anchor="middle" '
        f'fill="#1b1f24">{escape(axis)}</text></svg>'
    )
    return Markup("".join(parts))


def sector_gap_chart(sectors: list[dict]) -> Markup | None:
    """Bars: mean gap to target (% of target) of the scored KPIs per sector, largest first."""
    rows = sorted((s for s in sectors if s["mean_gap"] is not None), key=lambda s: -s["mean_gap"])
    if not rows:
        return None
    return _bars(
        [
            (
                f"{s['sector']} ({s['kpis_scored']} KPIs)",
                s["mean_gap"] * 100,
                f"{s['mean_gap'] * 100:.0f} %",
                PALETTE[0],
            )
            for s in rows
        ],
        title="Mean gap to target per sector",
        axis="Mean gap to target (% of target; 0 % = target reached)",
        description="Bar chart of the mean gap to target per sector: "
        + "; ".join(f"{s['sector']} {s['mean_gap'] * 100:.0f} %" for s in rows),
    )


def category_score_chart(categories: list[dict]) -> Markup | None:
    """Bars: U4SSC points over the maximum (%) per category, band-coloured, lowest first."""
    rows = sorted((c for c in categories if c["kpis_scored"]), key=lambda c: c["score"])
    if not rows:
        return None
    return _bars(
        [
            (
                f"{c['category']} ({c['kpis_scored']}/{c['kpis']} KPIs)",
                c["score"] * 100,
                f"{c['points']:.0f}/{c['max_points']:.0f} points",
                BAND_COLOURS[_band_of_share(c["score"])],
            )
            for c in rows
        ],
        title="Category score (points over maximum)",
        axis="Score (% of the maximum U4SSC points; 100 % = every KPI at 95 %+)",
        description="Bar chart of the score per category: "
        + "; ".join(
            f"{c['category']} {c['points']:.0f} of {c['max_points']:.0f} points" for c in rows
        ),
    )
