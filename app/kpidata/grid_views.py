"""The KPI grid of a city, its history per KPI, and the per-city template to download."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import Conflict
from app.core.numbers import YEAR
from app.core.params import arg_number
from app.kpidata import grid as grids
from app.kpidata.downloads import template_for
from app.kpidata.forms import GridForm, cells

bp = Blueprint("kpidata", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _year() -> int | None:
    year = arg_number("year", YEAR)
    return int(year) if year is not None else None


def _render(page: grids.Grid, form: GridForm, status: int = 200, message: str | None = None):
    return render_template(
        "kpidata/grid.html", grid=page, city=page.city, form=form, message=message
    ), status


@bp.route("/cities/<int:city_id>/kpis/edit", methods=["GET", "POST"])
def edit(city_id: int):
    page = grids.grid(current_user, city_id, _year())  # 403/404 first
    form = GridForm()
    if not form.is_submitted():
        form.stamp.data = str(page.stamp)
        return _render(page, form)
    if not form.validate():
        return _render(
            page, form, 400, "The form could not be read; reload the page and try again."
        )
    typed, text_errors = cells(request.form, len(page.rows))
    try:
        stamp = int(form.stamp.data or "")
    except ValueError:
        stamp = -1
    if text_errors:
        for index, errors in text_errors.items():
            page.rows[index].typed = typed[index]
            page.rows[index].errors.update(errors)
        return _render(
            page, form, 400, "Some cells cannot be saved (see the marked rows); nothing was saved."
        )
    try:
        written = grids.save_grid(current_user, city_id, page.year, typed, stamp)
    except grids.GridRejected as error:
        return _render(error.grid, form, 400, error.message)
    except Conflict as error:
        for index, row in typed.items():
            page.rows[index].typed = row
        return _render(page, form, 409, error.message)
    if written:
        flash(
            f"{written} values of {page.city.name} for {page.year} were saved; each change "
            "is kept with the value before."
        )
    else:
        flash("Nothing changed: every value was already stored as entered.")
    return redirect(url_for("kpidata.edit", city_id=city_id, year=page.year))


@bp.get("/cities/<int:city_id>/kpis/<int:kpi_id>/history")
def history(city_id: int, kpi_id: int):
    page = grids.kpi_history(current_user, city_id, kpi_id)
    return render_template("kpidata/history.html", page=page, city=page.city)


@bp.get("/cities/<int:city_id>/kpis/template.xlsx")
def template(city_id: int):
    filename, content = template_for(current_user, city_id, _year())
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
