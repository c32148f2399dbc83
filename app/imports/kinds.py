"""Kinds of file import: each feature registers what it imports, this feature runs them.

A kind reads a file into a preview (what would be new, changed, unchanged, and every
refused row with its row, column and reason), summarises it for the page and the
command line, and writes it within the caller's transaction. The upload page, the
stored preview, the all-or-nothing commit and ``usc import <kind>`` are shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from app.imports.tables import Preview

__all__ = ["ImportKind", "Preview", "import_kinds", "register_import_kind"]


@dataclass(frozen=True)
class ImportKind:
    name: str  # the URL and command name: "kpis", "partners"
    title: str  # "KPI values"
    formats: str  # one line on the upload page: the columns or templates it reads
    preview: Callable[[str, bytes], tuple[Preview, str]]  # (filename, content) -> preview, format
    summary: Callable[[Preview], dict]  # counts and rows for the page (see service.summary)
    digest: Callable[[Preview], str]  # the same digest means the same writes
    apply: Callable[..., int]  # (preview, *, user_id, via, import_id) -> changes written


def register_import_kind(app: Flask, kind: ImportKind) -> None:
    kinds = app.extensions.setdefault("usc_import_kinds", {})
    if kinds.get(kind.name, kind) is not kind:
        raise ValueError(f"import kind '{kind.name}' is registered twice")
    kinds[kind.name] = kind


def import_kinds() -> dict[str, ImportKind]:
    return current_app.extensions.get("usc_import_kinds", {})
