"""`usc group-cities`: group the cities into development levels now and keep the grouping."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("group-cities")
@with_appcontext
def group_cities_command() -> None:
    """Group every city with KPI values into development levels (what staff's "Run the
    grouping again" does as a job) and keep it for the packages pages."""
    from app.core.errors import ServiceError
    from app.packages.groups import grouping_job

    try:
        result = grouping_job({}, lambda *_: None)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    low, high = result["kpi_years"]
    click.echo(
        f"grouped {result['cities']:,} cities into {result['levels']} development levels "
        f"(KPI values of {low} to {high})"
    )
