"""Downloads of the lists as CSV or XLSX, with the filters of their pages."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user, login_required

from app.core.params import arg_id, arg_text
from app.exports import lists
from app.exports.tables import download
from app.partners import opportunities as ops
from app.partners.forms import FilterForm

bp = Blueprint("exports", __name__)
FMT = "<any(csv, xlsx):fmt>"


@bp.before_request
@login_required
def require_login():
    return None


@bp.get(f"/cities.{FMT}")
def cities(fmt: str):
    chosen = {name: arg_text(name) or None for name in ("country", "income_group", "region")}
    rows = lists.city_rows(current_user, arg_text("q"), **chosen)
    return download("cities", fmt, lists.CITY_COLUMNS, rows)


@bp.get(f"/projects.{FMT}")
def projects(fmt: str):
    scope = {name: arg_id(name) for name in ("city_id", "sector_id", "country_id") if arg_id(name)}
    rows = lists.project_rows(
        current_user, q=arg_text("q"), stage=request.args.get("stage", "").strip(), **scope
    )
    return download("projects", fmt, lists.PROJECT_COLUMNS, rows)


@bp.get(f"/opportunities.{FMT}")
def opportunities(fmt: str):
    form = FilterForm(request.args)
    form.set_choices(ops.filter_choices())
    filters = form.filters() if form.validate() else ops.Filters()
    rows = lists.opportunity_rows(current_user, filters, arg_id("partner"))
    return download("opportunities", fmt, lists.OPPORTUNITY_COLUMNS, rows)


@bp.get(f"/opportunities/interests.{FMT}")
def interests(fmt: str):
    rows = lists.interest_rows(current_user, arg_id("partner"))
    return download("interests", fmt, lists.INTEREST_COLUMNS, rows)


@bp.get(f"/cities/<int:city_id>/kpis.{FMT}")
def kpi_values(city_id: int, fmt: str):
    rows = list(lists.kpi_value_rows(current_user, city_id))
    return download(f"kpi-values-city-{city_id}", fmt, lists.KPI_VALUE_COLUMNS, rows)


@bp.get(f"/bundles/<int:bundle_id>.{FMT}")
def bundle(bundle_id: int, fmt: str):
    name, columns, rows = lists.bundle_rows(current_user, bundle_id)
    return download(name, fmt, columns, rows)
