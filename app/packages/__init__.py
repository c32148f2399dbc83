"""Smart product packages: cities grouped by development level, packages for partners."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, its job kind ("package_grouping") and command."""
    from app.core.jobs import register_kind
    from app.packages import cli, groups, views

    app.register_blueprint(views.bp)
    register_kind(app, groups.JOB_KIND, groups.grouping_job)
    app.cli.add_command(cli.group_cities_command)
