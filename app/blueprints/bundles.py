"""Bundles: candidates, limits, optimisation, frontiers, review by the city."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("bundles", __name__)


@bp.before_request
@login_required
def require_login():
    return None
