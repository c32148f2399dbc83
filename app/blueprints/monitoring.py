"""Yearly progress reports and KPI trajectories."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("monitoring", __name__)


@bp.before_request
@login_required
def require_login():
    return None
