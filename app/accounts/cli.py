"""`usc create-user` and `usc demo-accounts`."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["staff", "city", "partner", "expert"]), required=True)
@click.option("--city", "city_slug", help="City slug (role city), as on /cities.")
@click.option("--partner", "partner_slug", help="Partner slug (role partner).")
@click.option("--expert", "expert_slug", help="Expert slug (role expert), as in the pool.")
@click.option("--name", default="")
@click.password_option()
def create_user_command(email, role, city_slug, partner_slug, expert_slug, name, password) -> None:
    """Create an account (the password is asked for twice, never echoed)."""
    from app.accounts.service import create_user
    from app.core.errors import InvalidInput

    try:
        user = create_user(
            email,
            password,
            role,
            city_slug=city_slug,
            partner_slug=partner_slug,
            expert_slug=expert_slug,
            name=name,
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.role.value} account {user.email}.")


@click.command("demo-accounts")
@with_appcontext
def demo_accounts_command() -> None:
    """Print the demo accounts (they exist after `usc seed --demo`)."""
    from app.seeding.demo import existing_demo_accounts

    accounts = existing_demo_accounts()
    if not accounts:
        click.echo("No demo accounts: run `usc seed --demo` first.")
        return
    password = os.environ.get("USC_DEMO_PASSWORD", "(the one printed by `usc seed --demo`)")
    click.echo("Demo accounts (illustrative data; do not use in production):")
    for email, what in accounts:
        click.echo(f"  {email:<22} {what}")
    click.echo(f"  password: {password}")
