"""Appraisal runs of a project: run one, show one, compare two."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request
from flask_login import current_user, login_required

from app.appraisals import service as appraisals
from app.appraisals.charts import cashflow_chart, histogram_chart, tornado_chart
from app.appraisals.forms import AppraisalForm, AppraiseAllForm
from app.appraisals.pipeline import pipeline_overview, start_appraise_all
from app.appraisals.workbook.service import MIMETYPE, run_workbook
from app.core.errors import InvalidInput
from app.core.params import arg_id
from app.models import Job
from appraisal.errors import AppraisalError

bp = Blueprint("appraisals", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.app_context_processor
def appraisal_form_factory():
    """Lets the project page's section render the run form (without request data)."""

    def new_appraisal_form(project):
        return AppraisalForm(formdata=None, **appraisals.appraisal_form_options(project))

    return {"new_appraisal_form": new_appraisal_form}


@bp.route("/projects/<int:project_id>/appraise", methods=["GET", "POST"])
def appraise(project_id: int):
    project = appraisals.project_for_appraisal(current_user, project_id)
    form = AppraisalForm(**appraisals.appraisal_form_options(project))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("appraisals/form.html", project=project, form=form), status
    try:
        outcome = appraisals.request_appraisal(current_user, project_id, **form.options())
    except AppraisalError as error:
        return (
            render_template(
                "appraisals/form.html", project=project, form=form, engine_error=str(error)
            ),
            422,
        )
    if isinstance(outcome, Job):
        return redirect(f"/jobs/{outcome.id}")
    return redirect(appraisals.run_url(outcome))


@bp.get("/projects/<int:project_id>/runs/<int:run_id>")
def run(project_id: int, run_id: int):
    run = appraisals.get_run(current_user, project_id, run_id)
    charts = {
        "tornado": tornado_chart(run.results),
        "histogram": histogram_chart(run.results),
        "cashflow": cashflow_chart(run.results),
    }
    return render_template("appraisals/run.html", project=run.project, run=run, charts=charts)


@bp.get("/projects/<int:project_id>/runs/<int:run_id>.xlsx")
def workbook(project_id: int, run_id: int):
    filename, content = run_workbook(current_user, project_id, run_id)
    return Response(
        content,
        mimetype=MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/projects/<int:project_id>/runs/compare")
def compare(project_id: int):
    comparison = appraisals.compare_runs(
        current_user,
        project_id,
        arg_id("a"),
        arg_id("b"),
    )
    return render_template("appraisals/compare.html", **comparison)


@bp.route("/appraisals/all", methods=["GET", "POST"])
def appraise_all():
    """Staff: re-appraise every project of the pipeline, as a job with a progress page."""
    overview = pipeline_overview(current_user)
    form = AppraiseAllForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("appraisals/all.html", form=form, **overview), status
    try:
        job = start_appraise_all(current_user, *form.chosen())
    except InvalidInput as error:
        form.parameter_set.errors.append(error.message)
        return render_template("appraisals/all.html", form=form, **overview), 400
    return redirect(f"/jobs/{job.id}")
