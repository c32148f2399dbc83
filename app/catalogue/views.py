"""Paginated lists of cities, projects and partners."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from app.catalogue import service as catalogue
from app.core.params import arg_id, arg_page, arg_text

bp = Blueprint("catalogue", __name__)


def _page() -> int:
    return arg_page()


@bp.before_request
@login_required
def require_login():
    return None


CITY_FILTERS = ("country", "income_group", "region")


@bp.get("/cities")
def cities():
    q = arg_text("q")
    chosen = {name: arg_text(name) or None for name in CITY_FILTERS}
    page = catalogue.list_cities(
        current_user, page=_page(), size=current_app.config["PAGE_SIZE"], q=q, **chosen
    )
    return render_template(
        "catalogue/cities.html",
        page=page,
        q=q,
        chosen=chosen,
        choices=catalogue.city_filter_choices(),
        figures=catalogue.city_figures([c.id for c in page.items]),
        kpi_total=catalogue.kpi_count(),
    )


@bp.get("/projects")
def projects():
    q = arg_text("q")
    stage = request.args.get("stage", "").strip()
    scope = {name: arg_id(name) for name in ("city_id", "sector_id", "country_id") if arg_id(name)}
    page = catalogue.list_projects(
        current_user, page=_page(), size=current_app.config["PAGE_SIZE"], q=q, stage=stage, **scope
    )
    return render_template("catalogue/projects.html", page=page, q=q, stage=stage, scope=scope)


@bp.get("/partners")
def partners():
    q = arg_text("q")
    page = catalogue.list_partners(
        current_user, page=_page(), size=current_app.config["PAGE_SIZE"], q=q
    )
    return render_template(
        "catalogue/partners.html", page=page, q=q, pending=catalogue.pending_partners()
    )
