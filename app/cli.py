"""The `usc` command: Flask's commands (run, db ...) plus seed, create-user, demo-accounts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def _create_app(*_args) -> Flask:
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """United Smart Cities: manage the platform's database and serve it."""


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_accounts_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(appraise_command)
    app.cli.add_command(demo_bundle_command)


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
    from app.services.errors import InvalidInput, SeedError
    from app.services.seeding import seed_database
    from app.services.seeding.runner import SEEDS

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
        from app.services.seeding.scale import seed_scale

        for line in seed_scale(root or SEEDS, scale).lines():
            click.echo(line)
    if generated and report.accounts:
        click.echo(f"USC_DEMO_PASSWORD was not set; the demo accounts' password is: {password}")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["staff", "city", "partner"]), required=True)
@click.option("--city", "city_slug", help="City slug (role city), as on /cities.")
@click.option("--partner", "partner_slug", help="Partner slug (role partner).")
@click.option("--name", default="")
@click.password_option()
def create_user_command(email, role, city_slug, partner_slug, name, password) -> None:
    """Create an account (the password is asked for twice, never echoed)."""
    from app.services.accounts import create_user
    from app.services.errors import InvalidInput

    try:
        user = create_user(
            email, password, role, city_slug=city_slug, partner_slug=partner_slug, name=name
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.role.value} account {user.email}.")


@click.command("demo-accounts")
@with_appcontext
def demo_accounts_command() -> None:
    """Print the demo accounts (they exist after `usc seed --demo`)."""
    from app.services.seeding.demo import existing_demo_accounts

    accounts = existing_demo_accounts()
    if not accounts:
        click.echo("No demo accounts: run `usc seed --demo` first.")
        return
    password = os.environ.get("USC_DEMO_PASSWORD", "(the one printed by `usc seed --demo`)")
    click.echo("Demo accounts (illustrative data; do not use in production):")
    for email, what in accounts:
        click.echo(f"  {email:<22} {what}")
    click.echo(f"  password: {password}")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the platform's jobs (needs REDIS_URL)."""
    from flask import current_app
    from redis import Redis
    from rq import Queue, Worker

    from app.services.jobs import QUEUE_NAME

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) first.")
    connection = Redis.from_url(url)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)


@click.command("appraise")
@click.option("--missing", is_flag=True, required=True, help="Appraise projects with no run yet.")
@click.option("--parameter-set", default="EU 2014-2020", show_default=True)
@with_appcontext
def appraise_command(missing: bool, parameter_set: str) -> None:
    """Appraise every project that has no appraisal run yet (the demo set after seeding)."""
    from app.services.appraisals import appraise_missing
    from appraisal.errors import AppraisalError

    try:
        count = appraise_missing(parameter_set)
    except AppraisalError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"appraised {count} project(s) with the parameter set '{parameter_set}'")


@click.command("demo-bundle")
@with_appcontext
def demo_bundle_command() -> None:
    """Create the illustrative Karmøy bundle and send it to the city for review."""
    from app.services.demo_bundle import create_demo_bundle
    from app.services.errors import ServiceError

    try:
        bundle = create_demo_bundle()
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    if bundle is None:
        raise click.ClickException("Load the demo set first: `usc seed --demo`.")
    click.echo(f"demo bundle '{bundle.name}': {bundle.status.value}")
