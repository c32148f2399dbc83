"""The signed-in home page: one dashboard per role."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.catalogue.service import dashboard_figures

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    figures = dashboard_figures(current_user)
    return render_template(f"catalogue/dashboard_{current_user.role.value}.html", figures=figures)
