"""The signed-in home page: one dashboard per role."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.services.catalogue import dashboard_figures

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    figures = dashboard_figures(current_user)
    return render_template(f"dashboard/{current_user.role.value}.html", figures=figures)
