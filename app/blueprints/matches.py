"""Publishing projects and matching partners and consortia to them (staff)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("matches", __name__)


@bp.before_request
@login_required
def require_login():
    return None
