"""`usc demo-bundle`: the illustrative Karmøy bundle, sent for review."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("demo-bundle")
@with_appcontext
def demo_bundle_command() -> None:
    """Create the illustrative Karmøy bundle and send it to the city for review."""
    from app.bundles.demo import create_demo_bundle
    from app.core.errors import ServiceError

    try:
        bundle = create_demo_bundle()
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    if bundle is None:
        raise click.ClickException("Load the demo set first: `usc seed --demo`.")
    click.echo(f"demo bundle '{bundle.name}': {bundle.status.value}")
