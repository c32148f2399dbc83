"""`usc city add`: a city from the command line, as on /cities/new."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("city")
def city_group() -> None:
    """Cities: add one that is not in the reference data."""


@city_group.command("add")
@click.option("--name", required=True)
@click.option("--country", "country_iso2", required=True, help="ISO alpha-2 code, e.g. CH.")
@click.option("--population", type=click.IntRange(min=0))
@click.option("--population-year", type=click.IntRange(1900, 2200))
@click.option("--population-source", help="Where the population figure comes from.")
@click.option("--lat", "latitude", type=click.FloatRange(-90, 90))
@click.option("--lon", "longitude", type=click.FloatRange(-180, 180))
@click.option("--currency", help="ISO code of its budgets' currency (default: the country's).")
@with_appcontext
def add_command(**options) -> None:
    """Add a city (as the first staff account; the audit names the command)."""
    from sqlalchemy import select

    from app.cities.registry import CityInput, add_city
    from app.core.errors import InvalidInput
    from app.core.extensions import db
    from app.models import Role, User

    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    if staff is None:
        raise click.ClickException("Create a staff account first: usc create-user --role staff")
    try:
        city = add_city(staff, CityInput(**options))
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    click.echo(f"added {city.name} ({city.country.iso2}) as city {city.id}: /cities/{city.id}")
