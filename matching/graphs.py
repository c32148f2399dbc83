"""Matching results as networkx graphs, exported as node-link JSON and GraphML.

GraphML holds only scalar attributes (str, int, float, bool), so the builders store
lists as "; "-joined text and leave unknown values out rather than storing None.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable
from typing import IO

import networkx as nx

from matching.assignment import Assignment
from matching.errors import MatchingError

__all__ = ["assignment_graph", "scalar_attributes", "to_node_link_json", "write_graphml"]

_SCALARS = (str, int, float, bool)


def scalar_attributes(**values) -> dict:
    """Keep the known values as GraphML scalars: None dropped, sets and lists joined.

    Examples
    --------
    >>> scalar_attributes(a=None, b=("x", "y"), c=1.5)
    {'b': 'x; y', 'c': 1.5}
    """
    out = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, set | frozenset | list | tuple):
            value = "; ".join(
                sorted(map(str, value)) if isinstance(value, set | frozenset) else map(str, value)
            )
        elif not isinstance(value, _SCALARS):
            value = float(value)
        out[name] = value
    return out


def assignment_graph(assignments: Iterable[Assignment]) -> nx.Graph:
    """Bipartite graph of projects and partners, one edge per assignment.

    Examples
    --------
    >>> g = assignment_graph([Assignment("p1", "a", 0.9)])
    >>> g.nodes["p1"]["kind"], g.edges["p1", "a"]["score"]
    ('project', 0.9)
    """
    graph = nx.Graph()
    for a in assignments:
        graph.add_node(a.project, kind="project", bipartite=0)
        graph.add_node(a.partner, kind="partner", bipartite=1)
        graph.add_edge(a.project, a.partner, score=float(a.score))
    return graph


def _check_scalars(graph: nx.Graph) -> None:
    items = [(f"node {n!r}", d) for n, d in graph.nodes(data=True)]
    items += [(f"edge ({u!r}, {v!r})", d) for u, v, d in graph.edges(data=True)]
    for where, data in items:
        for name, value in data.items():
            if not isinstance(value, _SCALARS):
                raise MatchingError(
                    f"{where} attribute {name!r} is a {type(value).__name__}; GraphML takes "
                    "str, int, float or bool: convert it with scalar_attributes()"
                )


def to_node_link_json(graph: nx.Graph) -> str:
    """The graph as node-link JSON text (nodes and "edges", as networkx >= 3.4 names them).

    Examples
    --------
    >>> text = to_node_link_json(assignment_graph([Assignment("p1", "a", 0.5)]))
    >>> json.loads(text)["edges"]
    [{'score': 0.5, 'source': 'p1', 'target': 'a'}]
    """
    # networkx 3.4 added the edges= keyword and warns when it is left to its default.
    if "edges" in inspect.signature(nx.node_link_data).parameters:
        data = nx.node_link_data(graph, edges="edges")
    else:  # pragma: no cover - networkx < 3.4 names them "links"
        data = nx.node_link_data(graph)
        data["edges"] = data.pop("links")
    return json.dumps(data, sort_keys=True)


def write_graphml(graph: nx.Graph, target: str | IO[bytes]) -> None:
    """Write the graph as GraphML to a path or a binary file object.

    Raises :class:`MatchingError` for an attribute GraphML cannot hold.

    Examples
    --------
    >>> import io
    >>> buffer = io.BytesIO()
    >>> write_graphml(assignment_graph([Assignment("p1", "a", 0.5)]), buffer)
    >>> b"<graphml" in buffer.getvalue()
    True
    """
    _check_scalars(graph)
    nx.write_graphml(graph, target)
