"""The financing plan page of a project: edit its sources and loans, see it checked."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import Conflict, InvalidInput
from app.financing import service as financing
from app.financing.charts import sources_uses_chart
from app.financing.forms import cell_name, financing_form
from app.financing.plan import SOURCE_LABELS, USE_LABELS
from app.projects.cashflows import price_basis_label
from appraisal.finance.financing_plan import CASH_KINDS, LOAN_KINDS

bp = Blueprint("financing", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _show_error(form, error: InvalidInput) -> None:
    """The message on its field; a plan that does not balance also on the table."""
    name = getattr(error, "field", "")
    if name == "residual_shares":
        name = "share_city_budget"
    field = form._fields.get(name)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/projects/<int:project_id>/financing", methods=["GET", "POST"])
def edit(project_id: int):
    project, terms, version = financing.plan_editor(current_user, project_id)
    years = [(y, project.start_year + y) for y in range(project.horizon_years)]
    form = financing_form(terms, years, version=version, currency=project.currency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                financing.save_plan(
                    current_user, project_id, request.form.get("version", type=int), form.terms()
                )
            except Conflict as error:
                form.form_errors.append(error.message)
                status = 409
            except InvalidInput as error:
                _show_error(form, error)
            else:
                flash("Financing plan saved.", "success")
                return redirect(url_for("projects.detail", project_id=project_id))
    return render_template(
        "financing/edit.html",
        project=project,
        form=form,
        years=years,
        cash_kinds=CASH_KINDS,
        loan_kinds=LOAN_KINDS,
        labels=SOURCE_LABELS,
        use_labels=USE_LABELS,
        cell_name=cell_name,
        basis=price_basis_label(project),
    ), status


def plan_chart(results):
    """For templates: the chart of a plan's results (None when there is nothing to draw)."""
    return sources_uses_chart(results)
