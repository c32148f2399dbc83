"""Browser tests: Playwright drives Debian's chromium against a live server.

The server runs in a thread on a free port over a SQLite database seeded with the
reference data and the demo set. `.ci/run` installs chromium (apt-get) when missing;
without it these tests fail in CI and are skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.appraisals.service import appraise_missing
from app.bundles.demo import create_demo_bundle
from app.core.extensions import db
from app.models import Base
from app.seeding import seed_database

CHROMIUM = os.environ.get("USC_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser-test-password"
#: a phone's screen (where layouts break first) and a laptop's, in CSS pixels
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("CI"):
        return  # CI must have installed it: let the tests fail loudly
    skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "browser.sqlite3"
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_ENGINES": {"default": f"sqlite:///{path}"},
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        Base.metadata.create_all(db.engine)
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        create_demo_bundle()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(live_server):
    # The server (and its app contexts) must exist before Playwright's event loop runs
    # in this thread: Flask-SQLAlchemy-Lite's teardown refuses to run inside a loop.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server["url"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    def sign_in_as(email: str):
        page.goto("/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    return sign_in_as
