"""Keeping large per-process caches out of the garbage collector's way.

The partner-fit and twinning caches hold a few hundred thousand Python objects that
live as long as the process. Every full collection walks them all: measured on the
scale-1000 set, a request paid about 100 ms every eight or nine requests (p95 of
/opportunities at 145 ms, median 35 ms). ``gc.freeze`` moves what is alive into a
generation the collector skips; before a cache is rebuilt the freeze is lifted, so
the replaced objects can still be freed.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()


def before_rebuild() -> None:
    """Let the collector see frozen objects again (the cache about to be replaced)."""
    with _lock:
        gc.unfreeze()


def after_rebuild() -> None:
    """Collect what is garbage now, then freeze the survivors (the new cache)."""
    with _lock:
        gc.collect()
        gc.freeze()
