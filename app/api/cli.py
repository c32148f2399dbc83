"""``usc token create``: a personal access token for an account, printed once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.api.tokens import create_token_for
from app.core.errors import ServiceError


@click.group("token")
def token_command() -> None:
    """Personal access tokens for the JSON API."""


@token_command.command("create")
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", default="command line", show_default=True, help="Where it is used.")
@click.option(
    "--days", type=click.IntRange(1, 366), help="Valid this many days (default: until revoked)."
)
@with_appcontext
def create_command(email: str, name: str, days: int | None) -> None:
    """Create a token and print it (only now: only its fingerprint is kept)."""
    try:
        created = create_token_for(email, name, days)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    click.echo(created.secret)
    click.echo(
        f"token '{created.token.name}' for {created.token.user.email} "
        f"({created.token.user.role.value}); keep it secret, it is not shown again",
        err=True,
    )
