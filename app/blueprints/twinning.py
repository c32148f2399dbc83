"""Twin cities: mentor and mentee suggestions, cohort pairing, the graph."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("twinning", __name__)


@bp.before_request
@login_required
def require_login():
    return None
