"""Projects: detail, formulation and editing, the cash-flow table, stage moves."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.appraisals import service as appraisals
from app.core.errors import Conflict, InvalidInput
from app.core.numbers import db_id, positive_quantity
from app.core.params import arg_ids
from app.financing import service as financing
from app.models import FlowKind
from app.projects import cashflows as project_cashflows
from app.projects import choices as project_choices
from app.projects import pipeline, stages
from app.projects import service as projects
from app.projects.cashflow_forms import RebuildForm, cash_flow_form
from app.projects.forms import ProjectForm, form_data
from app.projects.workbook import project_workbook

bp = Blueprint("projects", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _show_error(form: ProjectForm, error: InvalidInput) -> None:
    field = getattr(form, getattr(error, "field", ""), None)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/projects/new", methods=["GET", "POST"])
def new():
    # A posted city that is no id is left to the form, which says to choose one of the list.
    city_id = request.form.get("city_id", type=db_id) or request.args.get("city_id", type=db_id)
    options = project_choices.form_options(current_user, city_id=city_id)
    if request.method == "GET":
        defaults = project_choices.new_project_defaults(
            current_user,
            city_id=city_id,
            # Prefills only: one that is not an id or a quantity is left out, and the
            # form asks for the value.
            template_id=request.args.get("template_id", type=db_id),
            kpi_ids=arg_ids("kpi_ids"),
            quantity=request.args.get("quantity", type=positive_quantity),
            this_year=date.today().year,
        )
        form = ProjectForm(data=defaults).bind(options)
        return render_template("projects/form.html", form=form, project=None)
    form = ProjectForm().bind(options)
    if form.validate():
        try:
            project = projects.create_project(current_user, form.to_input())
        except InvalidInput as error:
            _show_error(form, error)
        else:
            flash("Project formulated. Check its cash flows and cost basis below.", "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None), 400


@bp.get("/projects/<int:project_id>.xlsx")
def workbook(project_id: int):
    filename, content = project_workbook(current_user, project_id)
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit(project_id: int):
    project = projects.get_project_for_edit(current_user, project_id)
    city_id = request.form.get("city_id", type=db_id) or project.city_id
    options = project_choices.form_options(current_user, city_id=city_id)
    if request.method == "GET":
        form = ProjectForm(data=form_data(project)).bind(options)
        return render_template("projects/form.html", form=form, project=project)
    form = ProjectForm().bind(options)
    status = 400
    if form.validate():
        try:
            projects.edit_project(
                current_user,
                project_id,
                request.form.get("version", type=int),
                form.to_input(),
                rebuild_flows=form.rebuild_flows.data,
            )
        except Conflict as error:
            # Keep what was typed; the new version lets a deliberate second save win.
            form.form_errors.append(error.message)
            form.version.data = str(project.version)
            status = 409
        except InvalidInput as error:
            _show_error(form, error)
        else:
            flash("Project saved.", "success")
            return redirect(url_for("projects.detail", project_id=project_id))
    return render_template("projects/form.html", form=form, project=project), status


@bp.route("/projects/<int:project_id>/cashflows", methods=["GET", "POST"])
def cashflows(project_id: int):
    project, table = project_cashflows.cash_flow_editor(current_user, project_id)
    form = cash_flow_form(table, version=project.version)
    rebuild = RebuildForm(data={"version": project.version}, formdata=None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                project_cashflows.save_cash_flows(
                    current_user, project_id, request.form.get("version", type=int), form.cells()
                )
            except Conflict as error:
                form.form_errors.append(error.message)
                form.version.data = str(project.version)
                status = 409
            except InvalidInput as error:
                _show_error(form, error)
            else:
                flash("Cash flows saved.", "success")
                return redirect(url_for("projects.detail", project_id=project_id))
    return render_template(
        "projects/cashflows.html",
        project=project,
        table=table,
        form=form,
        rebuild=rebuild,
        kinds=list(FlowKind),
        labels=project_cashflows.KIND_LABELS,
        signed=project_cashflows.SIGNED_KINDS,
    ), status


@bp.post("/projects/<int:project_id>/cashflows/rebuild")
def rebuild_cashflows(project_id: int):
    form = RebuildForm()
    if not form.validate():
        raise InvalidInput("The form's security token is missing; reload the page.")
    project_cashflows.rebuild_cash_flows(
        current_user, project_id, request.form.get("version", type=int)
    )
    flash("Cash flows rebuilt from the catalogue solution.", "success")
    return redirect(url_for("projects.cashflows", project_id=project_id))


@bp.get("/projects/<int:project_id>")
def detail(project_id: int):
    page = project_cashflows.project_page(current_user, project_id)
    appraisal = appraisals.project_appraisal_context(current_user, page.project)
    plan = financing.project_plan_context(current_user, page.project)
    return render_template(
        "projects/detail.html",
        page=page,
        project=page.project,
        appraisal=appraisal,
        financing=plan,
        kind_labels=project_cashflows.KIND_LABELS,
    )


@bp.post("/projects/<int:project_id>/advance")
def advance(project_id: int):
    project = pipeline.advance_project(
        current_user, project_id, request.form.get("version", type=int)
    )
    flash(f"Moved to {project.stage.value.replace('_', ' ')}.", "success")
    return redirect(_back(project_id))


@bp.post("/projects/<int:project_id>/drop")
def drop(project_id: int):
    stages.drop_project(
        current_user,
        project_id,
        request.form.get("version", type=int),
        request.form.get("reason", ""),
    )
    flash("Project dropped; the reason is kept.", "success")
    return redirect(_back(project_id))


def _back(project_id: int) -> str:
    """Back to the board when the move was made there, else to the project."""
    target = request.form.get("next", "")
    if target.startswith("/pipeline"):
        return target
    return url_for("projects.detail", project_id=project_id)
