"""City profiles: KPI values against targets, bands, gaps, targets editing."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.services import catalogue

bp = Blueprint("profiles", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/cities/<int:city_id>")
def city(city_id: int):
    city, values = catalogue.get_city(current_user, city_id)
    return render_template("profiles/city.html", city=city, values=values)
