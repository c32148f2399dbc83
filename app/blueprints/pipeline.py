"""The pipeline board: projects by stage with counts and capex totals."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("pipeline", __name__)


@bp.before_request
@login_required
def require_login():
    return None
