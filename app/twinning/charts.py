"""The twin-city graph as SVG: mentors and mentees in two colours, chosen pairs bold.

Mentors stand in the left column and mentees in the right one (networkx's bipartite
layout), so every edge crosses from a mentor to a mentee and the bold pairing reads
at a glance. Large cohorts keep only the chosen pairs and drop the labels: beyond
:data:`LABEL_LIMIT` cities the names would overlap.
"""

from __future__ import annotations

import networkx as nx
from markupsafe import Markup

from app.core.charts import PALETTE, SMALL_TEXT, figure, to_svg

__all__ = ["LABEL_LIMIT", "MENTEE_COLOUR", "MENTOR_COLOUR", "twin_graph_svg"]

MENTOR_COLOUR, MENTEE_COLOUR = PALETTE[0], PALETTE[1]
LABEL_LIMIT = 60
_SUGGESTED, _PAIRED = "#9aa4ae", "#1b1f24"


def twin_graph_svg(graph: nx.Graph) -> Markup:
    """Mentors (left) and mentees (right); suggestions thin grey, pairs bold black."""
    shown = graph
    if graph.number_of_nodes() > LABEL_LIMIT:
        paired = [(u, v) for u, v, d in graph.edges(data=True) if d.get("paired")]
        shown = graph.edge_subgraph(paired).copy() if paired else nx.Graph()
    mentors = sorted(
        (n for n, d in shown.nodes(data=True) if d.get("role") == "mentor"),
        key=lambda n: shown.nodes[n].get("name", n),
    )
    # Mentees follow their mentor's row, so the bold pairs cross as little as possible.
    row = {m: i for i, m in enumerate(mentors)}
    partner_row = {
        n: min(
            (row.get(v, len(row)) for v in shown.neighbors(n) if shown.edges[n, v].get("paired")),
            default=len(row),
        )
        for n in shown.nodes
    }
    mentees = sorted((n for n in shown.nodes if n not in row), key=lambda n: partner_row[n])
    height = max(3.0, 0.32 * max(len(mentors), len(mentees), 1) + 1.0)
    description = (
        f"Twin-city graph: {len(mentors)} mentor cities (left, blue) and {len(mentees)} "
        "mentee cities (right, orange); thin grey lines are suggested twins, bold black "
        "lines the chosen pairs."
    )
    with figure(8.0, min(height, 30.0), title="Mentor and mentee cities") as (fig, ax):
        ax.set_axis_off()
        if shown.number_of_nodes():
            # Two columns spanning the same height, in the order chosen above (networkx's
            # bipartite layout would order the mentees through a set).
            pos = {}
            for x, column in ((0.0, mentors), (1.0, mentees)):
                step = 1.0 / max(len(column) - 1, 1)
                pos.update({n: (x, 1.0 - i * step) for i, n in enumerate(column)})
            edges = list(shown.edges(data=True))
            thin = [(u, v) for u, v, d in edges if not d.get("paired")]
            bold = [(u, v) for u, v, d in edges if d.get("paired")]
            nx.draw_networkx_edges(
                shown, pos, edgelist=thin, ax=ax, width=0.8, edge_color=_SUGGESTED
            )
            nx.draw_networkx_edges(shown, pos, edgelist=bold, ax=ax, width=3.0, edge_color=_PAIRED)
            for nodes, colour, label in (
                (mentors, MENTOR_COLOUR, "mentor (high income)"),
                (mentees, MENTEE_COLOUR, "mentee (low or middle income)"),
            ):
                nx.draw_networkx_nodes(
                    shown, pos, nodelist=nodes, ax=ax, node_size=90, node_color=colour, label=label
                )
            if shown.number_of_nodes() <= LABEL_LIMIT:
                labels = {n: shown.nodes[n].get("name", n) for n in shown.nodes}
                for node, (x, y) in pos.items():
                    left = node in set(mentors)
                    ax.text(
                        x + (-0.04 if left else 0.04),
                        y,
                        labels[node],
                        fontsize=SMALL_TEXT,
                        ha="right" if left else "left",
                        va="center",
                    )
            ax.margins(x=0.6, y=0.03)
            ax.legend(
                loc="upper center",
                bbox_to_anchor=(0.5, 0.0),
                ncol=2,
                frameon=False,
                fontsize=SMALL_TEXT,
            )
        else:
            ax.text(0.5, 0.5, "No pairs to draw", ha="center", va="center")
        return to_svg(fig, description=description)
