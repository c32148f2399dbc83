"""File imports: the /imports page, the stored preview, the all-or-nothing commit and
``usc import``; features register what they import (:mod:`app.imports.kinds`)."""

from __future__ import annotations

from flask import Flask

from app.imports.kinds import ImportKind, register_import_kind

__all__ = ["ImportKind", "add_import_kind", "init_app"]


def init_app(app: Flask) -> None:
    """Register the imports page and the ``usc import`` group on ``app``."""
    from app.imports import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.import_group)


def add_import_kind(app: Flask, kind: ImportKind, help_text: str) -> None:
    """A feature's import kind, on the page and as ``usc import <name>``."""
    from app.imports.cli import add_kind_command, import_group

    register_import_kind(app, kind)
    if kind.name not in import_group.commands:
        add_kind_command(kind.name, help_text)
