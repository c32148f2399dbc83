"""The pipeline board: projects by stage with counts and capex totals."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.core.params import arg_id
from app.projects.pipeline import BoardFilters, pipeline_board

bp = Blueprint("pipeline", __name__)

CARDS_PER_STAGE = 8


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/pipeline")
def board():
    filters = BoardFilters(
        city_id=arg_id("city_id"),
        sector_id=arg_id("sector_id"),
        country_id=arg_id("country_id"),
    )
    board = pipeline_board(current_user, filters, per_stage=CARDS_PER_STAGE)
    return render_template("projects/pipeline.html", board=board, here=request.full_path)
