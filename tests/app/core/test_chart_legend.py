"""A chart's legend sits beside the plot, never over its bars (the tornado's did)."""

from __future__ import annotations

from app.core.charts import figure, legend_beside


def test_the_legend_beside_the_plot_covers_no_bar():
    with figure(7.0, 3.0) as (fig, ax):
        # bars reaching the lower right corner, where the tornado's legend used to sit
        low = ax.barh([0, 1, 2], [-5, -3, -1], left=10, label="low end")
        high = ax.barh([0, 1, 2], [8, 4, 2], left=10, label="high end")
        legend = legend_beside(ax)
        fig.tight_layout()
        fig.canvas.draw()
        box = legend.get_window_extent()
        bars = [bar.get_window_extent() for bar in (*low.patches, *high.patches)]
        assert not any(box.overlaps(bar) for bar in bars)
        assert box.x0 >= ax.get_window_extent().x1  # to the right of the plot area
        assert box.x1 <= fig.bbox.x1 + 1  # and still on the figure
