"""The `usc` command: Flask's commands (run, db ...) plus each feature's own.

The features add their commands when the factory sets them up (seed, create-user,
demo-accounts, worker, appraise, demo-bundle); this module only builds the group.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from app import create_app


def _create_app(*_args) -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """United Smart Cities: manage the platform's database and serve it."""
