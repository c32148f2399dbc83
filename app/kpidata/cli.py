"""`usc import kpis FILE [--dry-run]`: the /imports page from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("import")
def import_group() -> None:
    """Import data from files: KPI values from CSV or XLSX."""


def _echo_rows(title: str, rows: list[str], limit: int = 50) -> None:
    if not rows:
        return
    click.echo(f"{title}:")
    for line in rows[:limit]:
        click.echo(f"  {line}")
    if len(rows) > limit:
        click.echo(f"  ... and {len(rows) - limit} more")


@import_group.command("kpis")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@with_appcontext
def import_kpis(file: Path, dry_run: bool) -> None:
    """Import KPI values from a long CSV/XLSX file or a filled per-city template.

    All or nothing: if any row is refused, nothing is written and the command fails.
    """
    from app.core.errors import InvalidInput
    from app.kpidata.importing import import_file

    try:
        result = import_file(
            file.name, file.read_bytes(), dry_run=dry_run, via=f"usc import kpis {file.name}"
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    p = result.preview
    click.echo(
        f"{file.name} ({result.file_format} format): {len(p.new)} new, {len(p.changed)} changed, "
        f"{len(p.unchanged)} unchanged, {len(p.rejected)} refused, {p.skipped} rows without a value"
    )
    _echo_rows("refused", [f"row {r.line}, column {r.column}: {r.reason}" for r in p.rejected])
    _echo_rows(
        "changed",
        [
            f"row {o.line}: {o.city_name} {o.kpi_code} {o.data_point} {o.year}: "
            f"{b.value:g} -> {o.value:g} {o.unit or ''}"
            for o, b in p.changed
        ],
    )
    if p.rejected:
        raise click.ClickException(
            f"{len(p.rejected)} rows refused; nothing was written. Correct them and run again."
        )
    if dry_run:
        click.echo("dry run: nothing was written")
    elif result.written:
        click.echo(f"written: {result.written} values (each change kept with the value before)")
    else:
        click.echo("nothing to write: every value is already stored as in the file")
