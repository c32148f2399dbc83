"""Projects: detail, creation and editing, cash-flow tables."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.services import catalogue

bp = Blueprint("projects", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/projects/<int:project_id>")
def detail(project_id: int):
    project = catalogue.get_project(current_user, project_id)
    return render_template("projects/detail.html", project=project)
