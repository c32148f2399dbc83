"""Shared fixtures. Database tests run on SQLite always, and on PostgreSQL as well when
TEST_DATABASE_URL is set (CI sets it when the server answers on 127.0.0.1:5432)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# No per-example deadline: CI machines are shared and noisy, and a slow example is not
# a wrong one (speed is measured in benchmarks/, never in tests).
settings.register_profile("usc", deadline=None)
settings.load_profile("usc")

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    from app.core.config import normalise_database_url

    return normalise_database_url(os.environ["TEST_DATABASE_URL"])
