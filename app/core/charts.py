"""Charts rendered on the server as SVG with matplotlib (nothing loaded from outside).

Each area keeps its charts in its own module (app/charts/<area>.py) and uses
:func:`figure` and :func:`to_svg` from here, so every chart shares one look.
Charts must label their axes with units, currency and price base.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller and searchable

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from markupsafe import Markup  # noqa: E402

# pyplot keeps global state; requests run on several threads.
_LOCK = threading.Lock()
PALETTE = ["#0b5cad", "#d97706", "#0f6b2f", "#a4001d", "#6b21a8", "#4a5562"]
BAND_COLOURS = {1: "#a4001d", 2: "#d97706", 3: "#b8a200", 4: "#0f6b2f"}
#: the smallest text on a chart (legends, bar labels), in points: 12 px at 96 dpi, which
#: stays readable when a chart is drawn a little narrower than its figure
SMALL_TEXT = 9


@contextmanager
def figure(width: float = 7.0, height: float = 3.6, *, title: str = "") -> Iterator:
    """A matplotlib (figure, axes) pair, closed afterwards, under a lock."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=(width, height), dpi=96)
        try:
            ax.spines[["top", "right"]].set_visible(False)
            if title:
                ax.set_title(title, loc="left", fontsize=11)
            yield fig, ax
        finally:
            plt.close(fig)


def legend_beside(ax):
    """The legend to the right of the plot, where it can cover no bar or line."""
    return ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0,
        fontsize=SMALL_TEXT,
        frameon=False,
    )


def to_svg(fig, *, description: str) -> Markup:
    """The figure as inline SVG markup with an accessible description."""
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.index("<svg")
    svg = svg[start:].replace(
        "<svg ", f'<svg role="img" aria-label="{Markup.escape(description)}" ', 1
    )
    return Markup(svg)


def cached_chart(render: Callable[..., Markup | None]) -> Callable[..., Markup | None]:
    """Keep the SVG of a chart drawn from the same data (drawing costs 50-150 ms).

    The key is the JSON of the arguments, so a chart function must take plain data
    (stored results, lists of dicts, numbers): the same data gives the same picture.
    """
    cache: OrderedDict[str, Markup | None] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(render)
    def wrapper(*args, **kwargs):
        blob = json.dumps([args, kwargs], sort_keys=True, default=str).encode()
        key = hashlib.blake2b(blob, digest_size=16).hexdigest()
        with lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        svg = render(*args, **kwargs)
        with lock:
            cache[key] = svg
            while len(cache) > CHART_CACHE_SIZE:
                cache.popitem(last=False)
        return svg

    return wrapper


CHART_CACHE_SIZE = 256
