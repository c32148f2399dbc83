"""Published opportunities for partners: filters, fit scores with reasons, interest."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("opportunities", __name__)


@bp.before_request
@login_required
def require_login():
    return None
