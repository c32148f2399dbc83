"""`usc appraise --missing | --all`: appraise the pipeline from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("appraise")
@click.option("--missing", is_flag=True, help="Appraise the projects with no run yet.")
@click.option("--all", "every", is_flag=True, help="Re-appraise every project of the pipeline.")
@click.option(
    "--parameter-set",
    default=None,
    help="A set for every project; without it each project uses its city's default set.",
)
@with_appcontext
def appraise_command(missing: bool, every: bool, parameter_set: str | None) -> None:
    """Appraise the pipeline in one batch: every project (--all) or those with no run yet
    (--missing, the demo set after seeding). Says how many were appraised and refused."""
    from app.appraisals.pipeline import appraise_pipeline, summary_line
    from appraisal.errors import AppraisalError

    if missing == every:
        raise click.UsageError("Give one of --missing (projects with no run yet) or --all.")

    def progress(fraction: float, message: str = "") -> None:
        click.echo(f"{fraction:4.0%} {message}", err=True)

    try:
        result = appraise_pipeline(parameter_set, only_missing=missing, progress=progress)
    except AppraisalError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary_line(result))
