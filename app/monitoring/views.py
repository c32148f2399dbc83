"""Yearly progress reports and KPI trajectories."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import InvalidInput
from app.core.numbers import YEAR, db_id
from app.core.params import arg_id, arg_ids, arg_number, arg_page, arg_text
from app.monitoring import service as monitoring
from app.monitoring.charts import trajectory_chart
from app.monitoring.forms import ProgressForm

bp = Blueprint("monitoring", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/monitoring")
def reports():
    city_id, year = arg_id("city_id"), arg_number("year", YEAR)
    city = arg_text("city")
    page = monitoring.list_reports(
        current_user,
        page=arg_page(),
        size=current_app.config["PAGE_SIZE"],
        city_id=city_id,
        city_name=city,
        year=year,
    )
    return render_template(
        "monitoring/list.html",
        page=page,
        city_id=city_id,
        city=city,
        year=year,
        statuses=monitoring.STATUSES,
    )


@bp.get("/monitoring/<int:report_id>")
def report(report_id: int):
    found = monitoring.get_report(current_user, report_id)
    return render_template("monitoring/report.html", report=found, statuses=monitoring.STATUSES)


@bp.route("/cities/<int:city_id>/progress/new", methods=["GET", "POST"])
def new_report(city_id: int):
    source = request.form if request.method == "POST" else request.args
    project_id = source.get("project_id", type=db_id)
    kpi_ids = arg_ids("kpi_ids")
    form = ProgressForm()
    if request.method == "POST":
        kpi_ids = [kpi for kpi, _, _ in form.actual_rows()]
    setup = monitoring.report_setup(current_user, city_id, project_id=project_id, kpi_ids=kpi_ids)
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                filed = monitoring.file_report(
                    current_user,
                    city_id,
                    project_id=project_id,
                    year=form.year.data,
                    status=form.status.data,
                    narrative=form.narrative.data,
                    actuals=form.actual_rows(),
                )
            except monitoring.DuplicateReport as error:
                form.year.errors.append(error.message)
                status = 409
            except InvalidInput as error:
                form.form_errors.append(error.message)
                status = 400
            else:
                flash(f"The progress report for {filed.year} was filed.")
                return redirect(url_for("monitoring.report", report_id=filed.id))
        else:
            status = 400
    else:
        form.project_id.data = project_id or ""
        form.year.data = date.today().year - 1  # reports usually cover the year just ended
        for kpi in setup.kpis:
            form.actuals.append_entry({"kpi_id": kpi.id})
    kpis = {kpi.id: kpi for kpi in setup.all_kpis}
    return render_template(
        "monitoring/new.html", form=form, setup=setup, city=setup.city, kpis=kpis
    ), status


@bp.get("/cities/<int:city_id>/trajectory")
def trajectory(city_id: int):
    found = monitoring.trajectory(current_user, city_id, arg_id("kpi_id"))
    return render_template(
        "monitoring/trajectory.html", t=found, city=found.city, chart=trajectory_chart(found)
    )
