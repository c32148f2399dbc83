"""Made PDFs kept on disk, keyed by a hash of what they were made from.

A city PROFILE takes WeasyPrint about a second to make (benchmarks/bench_publication.py);
asked again while nothing in it changed, it comes from here at once. The key is a
hash of the HTML the PDF is made from (which already holds every figure, label and
project the viewer may see), the stylesheet it links and the WeasyPrint version, so
any change to what would be printed (a KPI value, a verdict, a source, the print
stylesheet) makes another key: nothing is ever stale, and nothing is shared between
viewers who would see different things. The time of making is left out of the key:
an unchanged profile is served as it was made, and says when that was.

The files live in one folder (the instance folder's ``pdf-cache`` unless
``PDF_CACHE_DIR`` says otherwise), at most ``PDF_CACHE_FILES`` of them (0 turns the
cache off); the least recently used go first. Writes are atomic, so workers that
share the folder never read half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

import weasyprint

__all__ = ["PdfCache", "cache_key"]

SUFFIX = ".pdf"


def cache_key(html: str, *, stylesheet: bytes = b"", leave_out: tuple[str, ...] = ()) -> str:
    """The key of the PDF of ``html``: a hash without the strings in ``leave_out``.

    >>> a = cache_key("<p>made 7 May</p>", leave_out=("7 May",))
    >>> a == cache_key("<p>made 8 May</p>", leave_out=("8 May",))
    True
    >>> a == cache_key("<p>made 7 May</p>", stylesheet=b"p { color: red }", leave_out=("7 May",))
    False
    """
    for text in leave_out:
        if text:
            html = html.replace(text, "")
    digest = hashlib.blake2b(digest_size=20)
    for part in (weasyprint.__version__.encode(), stylesheet, html.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _touch(path: Path) -> None:
    # The clock to the nanosecond: a file system's own stamps can tie within a tick.
    now = time.time_ns()
    os.utime(path, ns=(now, now))


class PdfCache:
    """At most ``max_files`` PDFs in ``folder``, the least recently used evicted first."""

    def __init__(self, folder: str | Path, max_files: int) -> None:
        self.folder = Path(folder)
        self.max_files = max(0, int(max_files))

    @property
    def enabled(self) -> bool:
        return self.max_files > 0

    def _path(self, key: str) -> Path:
        if not key.isalnum():  # keys are hex digests; never a path of their own
            raise ValueError(f"a PDF cache key is a hex digest, not {key[:80]!r}")
        return self.folder / f"{key}{SUFFIX}"

    def get(self, key: str) -> bytes | None:
        """The PDF kept under ``key`` (marked as just used), or None."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            pdf = path.read_bytes()
            _touch(path)  # recently used: evicted last
        except FileNotFoundError:  # never made, or evicted by another worker meanwhile
            return None
        return pdf

    def put(self, key: str, pdf: bytes) -> None:
        """Keep ``pdf`` under ``key``, then evict the least recently used beyond the bound."""
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            os.replace(temporary, self._path(key))
            _touch(self._path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._evict()

    def keys(self) -> list[str]:
        """The keys kept, the least recently used first."""
        return [path.stem for path in self._files()]

    def _files(self) -> list[Path]:
        entries = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                entries.append((path.stat().st_mtime_ns, path.name, path))
            except FileNotFoundError:  # evicted by another worker meanwhile
                continue
        return [path for *_, path in sorted(entries)]

    def _evict(self) -> None:
        files = self._files()
        for path in files[: max(0, len(files) - self.max_files)]:
            path.unlink(missing_ok=True)
