"""`usc seed`: the reference data, the demo set and the load-test set."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("seed")
@with_appcontext
@click.option("--demo", is_flag=True, help="Also load the illustrative demo set and accounts.")
@click.option(
    "--from",
    "root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder laid out like seeds/ (default: the project's seeds/).",
)
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    default=None,
    help="Also add a large illustrative set: N cities, 20 N projects, 2 N partners.",
)
def seed_command(demo: bool, root: Path | None, scale: int | None) -> None:
    """Load the reference data from seeds/ (idempotent; one transaction)."""
    from app.core.errors import InvalidInput, SeedError
    from app.seeding.runner import SEEDS, seed_database

    password = os.environ.get("USC_DEMO_PASSWORD")
    generated = demo and not password
    if generated:
        password = secrets.token_urlsafe(12)
    try:
        report = seed_database(demo=demo, demo_password=password, root=root or SEEDS)
    except (SeedError, InvalidInput) as error:
        raise click.ClickException(f"Nothing was loaded. {error.message}") from None
    for line in report.lines():
        click.echo(line)
    if scale:
        from app.seeding.scale import seed_scale

        for line in seed_scale(root or SEEDS, scale).lines():
            click.echo(line)
    if generated and report.accounts:
        click.echo(f"USC_DEMO_PASSWORD was not set; the demo accounts' password is: {password}")
