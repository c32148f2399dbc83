"""Numbered sources of a printed document: each cited once, with what it supports.

Pure: no Flask, no database. A table cell prints ``[3]``; the document's list of
sources prints source 3 in full with the items it was cited for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Source", "SourceList"]

ILLUSTRATIVE_PREFIX = "illustrative: "


@dataclass
class Source:
    """One source as listed: its number, text, address and what cites it."""

    number: int
    text: str
    url: str | None = None
    illustrative: bool = False
    used_for: list[str] = field(default_factory=list)


class SourceList:
    """Sources numbered in the order they are first cited.

    >>> sources = SourceList()
    >>> sources.cite("https://example.org/report.pdf", used_for="KPI A")
    1
    >>> sources.cite("Statistics Norway", used_for="population")
    2
    >>> sources.cite("https://example.org/report.pdf", used_for="KPI B")
    1
    >>> sources.cite("  ", used_for="KPI C") is None
    True
    >>> [(s.number, s.url, s.used_for) for s in sources.listed()][0]
    (1, 'https://example.org/report.pdf', ['KPI A', 'KPI B'])
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str | None], Source] = {}

    def cite(
        self,
        text: str | None,
        *,
        url: str | None = None,
        illustrative: bool = False,
        used_for: str | None = None,
    ) -> int | None:
        """The number of the source (a new one if not cited yet); None without a source."""
        text = (text or "").strip()
        url = (url or "").strip() or None
        if not text and not url:
            return None
        if url is None and text.startswith(("http://", "https://")):
            url = text
        if text.startswith(ILLUSTRATIVE_PREFIX):
            illustrative = True
        key = (text, url)
        source = self._by_key.get(key)
        if source is None:
            source = Source(len(self._by_key) + 1, text or url or "", url)
            self._by_key[key] = source
        source.illustrative = source.illustrative or illustrative
        if used_for and used_for not in source.used_for:
            source.used_for.append(used_for)
        return source.number

    def listed(self) -> list[Source]:
        """Every source cited, by number."""
        return sorted(self._by_key.values(), key=lambda source: source.number)
