"""Expert pages: staff edit an expert of the pool."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.extensions import db
from app.core.fields import choices
from app.engagements.service import FieldError
from app.experts import service
from app.experts.forms import ExpertForm
from app.models import KPI_DIMENSIONS, Sector

bp = Blueprint("experts", __name__, url_prefix="/experts")


@bp.before_request
@login_required
def require_login():
    return None


def _choices(form: ExpertForm) -> ExpertForm:
    sectors = db.session.execute(select(Sector.slug, Sector.name).order_by(Sector.position))
    form.sectors.choices = choices((slug, name) for slug, name in sectors)
    form.dimensions.choices = choices((d, d) for d in KPI_DIMENSIONS)
    return form


def _page(expert, form: ExpertForm, status: int = 200):
    return render_template("experts/edit.html", expert=expert, form=_choices(form)), status


@bp.route("/<int:expert_id>/edit", methods=["GET", "POST"])
def edit(expert_id: int):
    expert = service.expert_for(current_user, expert_id)
    form = ExpertForm()
    if not form.is_submitted():
        form = ExpertForm(formdata=None, obj=expert)
        form.countries.data = "; ".join(expert.countries)
        form.languages.data = "; ".join(expert.languages)
        return _page(expert, form)
    if not form.validate():
        return _page(expert, form, 400)
    data = service.ExpertInput(
        name=form.name.data or "",
        organisation=form.organisation.data or "",
        days_per_year=form.days_per_year.data,
        days_per_engagement=form.days_per_engagement.data,
        sectors=list(form.sectors.data or []),
        dimensions=list(form.dimensions.data or []),
        countries=form.countries.data or "",
        languages=form.languages.data or "",
        past_engagements=form.past_engagements.data or "",
    )
    try:
        service.edit_expert(current_user, expert_id, data)
    except FieldError as error:
        db.session.rollback()
        form[error.field].errors = [*form[error.field].errors, error.message]
        return _page(service.expert_for(current_user, expert_id), form, 400)
    flash(f"{data.name.strip()} was saved.")
    return redirect(url_for("engagement_team.experts"))
