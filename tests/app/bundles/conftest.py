"""Fixtures of the bundle tests: the two-city world and a signed-in staff client."""

from __future__ import annotations

import pytest

from tests.app.bundles.bundle_world import build_world, signed_in


@pytest.fixture
def world(app):
    return build_world(app)


@pytest.fixture
def staff(app, world):
    return signed_in(app, "staff@example.org")
