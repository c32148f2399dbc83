"""`usc import KIND FILE [--dry-run]`: the /imports page from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("import")
def import_group() -> None:
    """Import data from CSV or XLSX files: KPI values (kpis), partners (partners)."""


def _echo_rows(title: str, rows: list[str], limit: int = 50) -> None:
    if not rows:
        return
    click.echo(f"{title}:")
    for line in rows[:limit]:
        click.echo(f"  {line}")
    if len(rows) > limit:
        click.echo(f"  ... and {len(rows) - limit} more")


def _run(kind: str, file: Path, dry_run: bool) -> None:
    from app.core.errors import InvalidInput
    from app.imports.service import import_file

    try:
        result = import_file(
            kind,
            file.name,
            file.read_bytes(),
            dry_run=dry_run,
            via=f"usc import {kind} {file.name}",
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    p, summary = result.preview, result.summary
    click.echo(
        f"{file.name} ({result.file_format} format): {len(p.new)} new, {len(p.changed)} changed, "
        f"{len(p.unchanged)} unchanged, {len(p.rejected)} refused, {p.skipped} rows without a value"
    )
    _echo_rows("refused", [f"row {r.line}, column {r.column}: {r.reason}" for r in p.rejected])
    _echo_rows(
        "changed",
        [
            f"row {r['line']}: {r['what']}: {r['before']} -> {r['after']}"
            for r in summary["changed"]
        ],
    )
    if p.rejected:
        raise click.ClickException(
            f"{len(p.rejected)} rows refused; nothing was written. Correct them and run again."
        )
    if dry_run:
        click.echo("dry run: nothing was written")
    elif result.written:
        click.echo(f"written: {result.written} changes (each kept with what was there before)")
    else:
        click.echo("nothing to write: everything is already stored as in the file")


def add_kind_command(name: str, help_text: str) -> None:
    """``usc import NAME FILE [--dry-run]`` for an import kind."""

    @import_group.command(name, help=help_text)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    @with_appcontext
    def command(file: Path, dry_run: bool) -> None:
        _run(name, file, dry_run)
