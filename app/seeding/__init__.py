"""Loading the seeds/ CSV files into the database, idempotently and in one transaction."""

from __future__ import annotations

from flask import Flask

from app.seeding.runner import SeedReport, seed_database

__all__ = ["SeedReport", "seed_database", "init_app"]


def init_app(app: Flask) -> None:
    """Register `usc seed` on ``app``."""
    from app.seeding import cli

    app.cli.add_command(cli.seed_command)
