"""HTML to PDF with WeasyPrint, offline: only the app's own static files are fetched.

A document made here may carry text typed by people (sources, project titles), so it
must never make the server reach out: every URL WeasyPrint asks for (stylesheets,
images, fonts declared in CSS) goes through :class:`StaticFilesOnly`, which serves
the files of one folder and refuses everything else (http, https, data, other files).
"""

from __future__ import annotations

import gc
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["StaticFilesOnly", "compact_html", "html_to_pdf"]

# Whitespace before these tags never shows: the layout drops it, after parsing it.
_BLOCK_TAG = re.compile(
    r">\s+<(/?(?:html|head|body|meta|link|title|section|nav|h[1-6]|p|ol|ul|li|dl|dt|dd"
    r"|table|caption|thead|tbody|tfoot|tr|th|td|figure|figcaption|br)\b)"
)


class StaticFilesOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves the files under ``folder`` and nothing else.

    The document's base URL is :attr:`base_url` (the folder as a ``file:`` URL), so a
    template links a sheet by its name: ``<link rel="stylesheet" href="print.css">``.
    """

    def __init__(self, folder: str | Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.folder = Path(folder).resolve()
        self.base_url = self.folder.as_uri() + "/"

    def path_of(self, url: str) -> Path | None:
        """The file ``url`` names if it is a file of the folder, else None."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.path_of(url)
        if path is None:
            raise ValueError(
                f"refused to fetch {url[:200]}: a PDF uses the app's static files only"
            )
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


def compact_html(html: str) -> str:
    """``html`` without the whitespace before block and table tags (template indentation).

    Nothing printed changes; WeasyPrint parses fewer characters and builds fewer boxes.

    >>> compact_html("<table>\\n  <tr>\\n    <td>a <b>b</b></td>\\n  </tr>\\n</table>")
    '<table><tr><td>a <b>b</b></td></tr></table>'
    """
    return _BLOCK_TAG.sub(r"><\1", html)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint builds its boxes.

    A profile makes ~200,000 short-lived objects; the collector's passes over them
    cost about 15 % of the render (benchmarks/bench_publication.py). Whoever found it
    enabled enables it again, so overlapping renders in threads never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str, static_folder: str | Path) -> bytes:
    """The PDF of ``html``; relative URLs resolve to (and only to) ``static_folder``."""
    fetcher = StaticFilesOnly(static_folder)
    with _collector_paused():
        return HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher).write_pdf()
