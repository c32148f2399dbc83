"""The financing plan page of a project: edit its sources and loans, see it checked."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import Conflict, InvalidInput
from app.financing import service as financing
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
    editor = financing.plan_editor(current_user, project_id)
    project = editor.project
    years = [(y, project.start_year + y) for y in range(project.horizon_years)]
    form = financing_form(editor.terms, years, version=editor.version, currency=project.currency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                financing.save_plan(
                    current_user, project_id, request.form.get("version", type=int), form.terms()
                )
            except Conflict as error:
                # Keep what was typed; the new version lets a deliberate second save win.
                form.form_errors.append(error.message)
                form.version.data = str(editor.version)
                status = 409
            except InvalidInput as error:
                _show_error(form, error)
            else:
                flash("Financing plan saved.", "success")
                return redirect(url_for("projects.detail", project_id=project_id))
    return render_template(
        "financing/edit.html",
        project=project,
        editor=editor,
        form=form,
        years=years,
        cash_kinds=CASH_KINDS,
        loan_kinds=LOAN_KINDS,
        labels=SOURCE_LABELS,
        use_labels=USE_LABELS,
        cell_name=cell_name,
        basis=price_basis_label(project),
    ), status
