"""Printed documents: the city PROFILE as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_login import current_user, login_required

from app.core.extensions import limiter
from app.core.numbers import YEAR
from app.core.params import arg_number
from app.publication import profile_pdf

bp = Blueprint("publication", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _pdf_limit() -> str:
    return current_app.config["PDF_RATE_LIMIT"]


def _per_user() -> str:
    """Each signed-in user has their own allowance; anyone else counts by address."""
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"address:{request.remote_addr}"


def _pdf_limit_message() -> str:
    return (
        f"You asked for more PROFILE PDFs than the {_pdf_limit()} each user may have: "
        "each takes the server about a second to make. Wait a minute, then download it "
        "again (a profile unchanged since it was last made comes at once)."
    )


@bp.get("/cities/<int:city_id>/profile.pdf")
@limiter.limit(_pdf_limit, key_func=_per_user, error_message=_pdf_limit_message)
def city_profile_pdf(city_id: int):
    pdf, filename = profile_pdf.profile_pdf(current_user, city_id, as_of=arg_number("year", YEAR))
    response = Response(pdf, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"  # what this viewer may see
    return response
