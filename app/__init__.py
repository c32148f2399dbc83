"""The web layer: Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event

from app.core.config import Defaults, from_environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; ``test_config`` replaces the environment's settings."""
    app = Flask(__name__, template_folder=str(TEMPLATES), instance_relative_config=True)
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.update(from_environment(app.instance_path))
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_security(app)
    register_url_converters(app)
    register_features(app)
    register_errors(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.core.extensions import alembic, csrf, db, limiter, login_manager

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
    alembic.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"

    from app.core.jobs import init_jobs

    init_jobs(app)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, per connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Concurrent saves wait for each other (up to 10 s) instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def register_security(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app.core.security import apply_security_headers

    app.after_request(apply_security_headers)
    proxies = app.config.get("PROXIES", 0)
    if proxies:  # the client address is the one the nearest trusted proxies saw
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def register_url_converters(app: Flask) -> None:
    """``<int:id>`` stops at the database's integer range: a larger id is a 404."""
    from app.core.params import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter


def register_features(app: Flask) -> None:
    """Each feature registers its pages, job kinds and commands (in this order)."""
    from app import (
        accounts,
        action_plans,
        api,
        appraisals,
        bundles,
        catalogue,
        cities,
        engagements,
        experts,
        exports,
        financing,
        health,
        imports,
        jobs,
        kpidata,
        monitoring,
        packages,
        parameter_sets,
        partner_profiles,
        partners,
        projects,
        publication,
        seeding,
        twinning,
    )

    for feature in (
        accounts,
        health,
        catalogue,
        jobs,
        imports,
        cities,
        engagements,
        action_plans,
        experts,
        kpidata,
        projects,
        parameter_sets,
        appraisals,
        financing,
        bundles,
        partners,
        partner_profiles,
        twinning,
        packages,
        monitoring,
        exports,
        publication,
        api,
        seeding,
    ):
        feature.init_app(app)


def register_errors(app: Flask) -> None:
    from app.core.error_pages import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from app.core.formatting import register_filters

    register_filters(app)
