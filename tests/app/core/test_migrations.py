"""The committed Alembic revisions: one head, and they build exactly the models' schema."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.extensions import alembic, db
from tests.app.conftest import make_app, reset_schema


def test_single_migration_head(app):
    with app.app_context():
        heads = alembic.script_directory.get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}; merge them"


def test_upgrade_builds_the_models_schema_with_nothing_pending(database_url):
    app = make_app(database_url)
    with app.app_context():
        reset_schema(db.engine)
        alembic.upgrade()
        pending = alembic.compare_metadata()
        tables = set(sa.inspect(db.engine).get_table_names())
        reset_schema(db.engine)
        db.engine.dispose()
    assert pending == [], f"model changes without a migration: {pending}"
    assert {"project", "kpi", "user", "audit_log", "alembic_version"} <= tables
