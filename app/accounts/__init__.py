"""Accounts: signing in and out, users, the demo accounts; staff manage accounts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages and commands on ``app``."""
    from app.accounts import admin_views, cli, invite_views, views
    from app.core.extensions import login_manager

    login_manager.user_loader(views.load_signed_in_user)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(invite_views.bp)
    app.cli.add_command(cli.create_user_command)
    app.cli.add_command(cli.demo_accounts_command)
