"""Lessons and best practice pages: the cases, and recording one (staff)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.extensions import db
from app.core.fields import choices
from app.core.permissions import require_staff
from app.engagements import lessons
from app.engagements.forms import CaseForm
from app.engagements.service import FieldError
from app.models import Role

bp = Blueprint("lessons", __name__, url_prefix="/lessons")


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("")
def index():
    cases = lessons.all_cases(current_user)
    return render_template(
        "engagements/lessons.html", cases=cases, staff=current_user.role is Role.STAFF
    )


def _form_page(form: CaseForm, status: int = 200):
    form.template_id.choices = choices(
        [("", "None")] + [(str(i), n) for i, n in lessons.solution_choices()]
    )
    return render_template("engagements/lesson_new.html", form=form), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    require_staff(current_user)
    form = CaseForm()
    if not form.is_submitted():
        return _form_page(form)
    if not form.validate():
        return _form_page(form, 400)
    template = form.template_id.data or ""
    data = lessons.CaseInput(
        title=form.title.data or "",
        city_name=form.city_name.data or "",
        template_id=int(template) if template.isdigit() else None,
        kpi_codes=(form.kpi_codes.data or "").split(";"),
        what_was_done=form.what_was_done.data or "",
        results=form.results.data or "",
        sources=form.sources.data or "",
        lessons=form.lessons.data or "",
    )
    try:
        lessons.add_case(current_user, data)
    except FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return _form_page(form, 400)
    flash("The case was recorded.")
    return redirect(url_for("lessons.index"))
