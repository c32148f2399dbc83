"""The pipeline board: projects by stage with counts and capex totals."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.core.params import arg_id
from app.projects.pipeline import BoardFilters, pipeline_board
from app.projects.reporting import currency_choices, read_report

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
    report = read_report(request.args.get("currency"))
    board = pipeline_board(current_user, filters, per_stage=CARDS_PER_STAGE, report=report)
    page = render_template(
        "projects/pipeline.html",
        board=board,
        currencies=currency_choices(),
        here=request.full_path,
    )
    return page, 400 if report.error else 200
