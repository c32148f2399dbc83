"""Bundles: a city's best set of projects under budgets and sector rules, and its review."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, job kinds and commands on ``app``."""
    from app.bundles import cli, optimisation, views
    from app.core.jobs import register_kind

    app.register_blueprint(views.bp)
    register_kind(app, "bundle", optimisation.optimise_job)
    app.cli.add_command(cli.demo_bundle_command)
