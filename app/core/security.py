"""Security headers on every response (no third-party content is ever loaded), and the
secrets handed to a user once (session cookies, invitation links, API tokens).

Only a secret's SHA-256 is stored. The secrets are 256 random bits, so a fast hash is
enough: nobody can guess one from its digest, unlike a password.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Response, current_app

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        # Inline styles only: matplotlib's server-rendered SVG charts carry style
        # attributes. Scripts stay 'self' only.
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


#: Sent only when cookies are secure (the site is served over HTTPS): browsers then
#: refuse plain HTTP to it for a year.
HSTS = "max-age=31536000; includeSubDomains"


def apply_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def new_secret(prefix: str = "") -> str:
    """A fresh URL-safe secret of 256 random bits, after ``prefix``."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which ``secret`` is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()
