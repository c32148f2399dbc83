"""Configuration: defaults in code, environment overrides read inside ``create_app``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class Defaults:
    SQLALCHEMY_ENGINES: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    # Each user may make this many PROFILE PDFs (about a second of CPU each) per minute.
    PDF_RATE_LIMIT = "10 per minute"
    # Made PDFs kept for unchanged profiles (app/publication/pdf_cache.py); 0: none.
    PDF_CACHE_DIR: str | None = None  # None: the instance folder's pdf-cache
    PDF_CACHE_FILES = 200
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_ADDRESS = 50
    LOGIN_BLOCK_MINUTES = 15
    PROXIES = 0
    PAGE_SIZE = 50
    INVITATION_HOURS = 72
    # Room for a 20 MB file on /imports; form fields without a file stay under Flask's
    # MAX_FORM_MEMORY_SIZE (500 kB) and are refused above it.
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024
    ALEMBIC = {"script_location": "migrations"}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs given as postgres:// or postgresql://.

    >>> normalise_database_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalise_database_url("sqlite:///x.db")
    'sqlite:///x.db'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder, so the embedded set-up needs no setting.

    Production sets SECRET_KEY instead (README, section Production).
    """
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def from_environment(instance_path: str) -> dict:
    """The settings the environment overrides (DATABASE_URL, SECRET_KEY, REDIS_URL...)."""
    env = os.environ
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "usc.sqlite3")
    )
    settings: dict = {
        "SQLALCHEMY_ENGINES": {"default": normalise_database_url(database_url)},
        "SECRET_KEY": env.get("SECRET_KEY") or instance_secret_key(instance_path),
    }
    if env.get("REDIS_URL"):
        settings["REDIS_URL"] = env["REDIS_URL"]
        settings["RATELIMIT_STORAGE_URI"] = env["REDIS_URL"]
    if env.get("USC_PROXIES", "").strip().isdigit():
        settings["PROXIES"] = int(env["USC_PROXIES"])
    if env.get("USC_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
        settings["SESSION_COOKIE_SECURE"] = True
        settings["REMEMBER_COOKIE_SECURE"] = True
    if env.get("USC_LOGIN_RATE_LIMIT"):
        settings["LOGIN_RATE_LIMIT"] = env["USC_LOGIN_RATE_LIMIT"]
    return settings
