"""`usc appraise --missing`: appraise the projects that have no run yet."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("appraise")
@click.option("--missing", is_flag=True, required=True, help="Appraise projects with no run yet.")
@click.option(
    "--parameter-set",
    default=None,
    help="A set for every project; without it each project uses its city's default set.",
)
@with_appcontext
def appraise_command(missing: bool, parameter_set: str | None) -> None:
    """Appraise every project that has no appraisal run yet (the demo set after seeding)."""
    from app.appraisals.service import appraise_missing
    from appraisal.errors import AppraisalError

    try:
        count = appraise_missing(parameter_set)
    except AppraisalError as error:
        raise click.ClickException(str(error)) from None
    used = f"the parameter set '{parameter_set}'" if parameter_set else "each city's default set"
    click.echo(f"appraised {count} project(s) with {used}")
