"""Printed documents: the city PROFILE as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user, login_required

from app.core.numbers import YEAR
from app.core.params import arg_number
from app.publication import profile_pdf

bp = Blueprint("publication", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/cities/<int:city_id>/profile.pdf")
def city_profile_pdf(city_id: int):
    pdf, filename = profile_pdf.profile_pdf(current_user, city_id, as_of=arg_number("year", YEAR))
    response = Response(pdf, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"  # what this viewer may see
    return response
