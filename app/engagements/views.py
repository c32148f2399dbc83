"""Engagement pages: the list of where each city stands, filing a request, an
engagement's stages with the current one's form, and moving to the next stage."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.concurrency import creation_key, new_creation_key
from app.core.errors import Conflict, InvalidInput
from app.core.extensions import db
from app.core.fields import choices
from app.core.permissions import require_role
from app.engagements import checks, overview, service, stages
from app.engagements.forms import EngagementForm, MoveForm, StepForm
from app.models import City, Role

bp = Blueprint("engagements", __name__, url_prefix="/engagements")


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("")
def index():
    rows = overview.engagement_rows(current_user)
    return render_template("engagements/index.html", rows=rows, label=stages.label)


def _city_choices(form: EngagementForm) -> None:
    cities = db.session.execute(select(City.id, City.name, City.slug).order_by(City.name))
    form.city_id.choices = choices(
        [("", "Choose a city")] + [(str(i), f"{n} ({s})") for i, n, s in cities]
    )


def _new_page(form: EngagementForm, status: int = 200):
    return render_template("engagements/new.html", form=form), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    require_role(current_user, Role.STAFF, Role.CITY)
    form = EngagementForm()
    _city_choices(form)
    if not form.is_submitted():
        form.creation_key.data = new_creation_key()
        return _new_page(form)
    if not form.validate():
        return _new_page(form, 400)
    city = form.city_id.data
    data = service.EngagementInput(
        city_id=int(city) if city and city.isdigit() else None,
        requester=form.requester.data or "",
        requester_name=form.requester_name.data or "",
        requested_on=form.requested_on.data,
        notes=form.notes.data or "",
        creation_key=creation_key(form.creation_key.data),
    )
    try:
        engagement = service.file_engagement(current_user, data)
    except service.FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return _new_page(form, 400)
    flash(f"The request of {engagement.city.name} was filed.")
    return redirect(url_for("engagements.show", engagement_id=engagement.id))


def _step_form(engagement, form: StepForm | None = None) -> StepForm:
    step = service.current_step(engagement)
    if form is None:
        form = StepForm(formdata=None)
        form.owner.data = step.owner
        form.due_on.data = step.due_on
        form.documents.data = step.documents
        form.ticked.data = [k for k, v in (step.checklist or {}).items() if v]
        form.version.data = str(engagement.version)
    form.ticked.choices = choices((item.key, item.text) for item in stages.tickable(step.stage))
    return form


def _show(engagement, form: StepForm | None = None, status: int = 200, error: str | None = None):
    page = render_template(
        "engagements/show.html",
        engagement=engagement,
        step=service.current_step(engagement),
        form=_step_form(engagement, form),
        move=MoveForm(formdata=None, version=str(engagement.version)),
        next_stage=stages.next_stage(engagement.stage),
        checklists=stages.CHECKLISTS,
        label=stages.label,
        order=stages.ORDER,
        late=overview.days_late(service.current_step(engagement), service.today()),
        held={
            **(service.current_step(engagement).checklist or {}),
            **checks.data_state(engagement),
        },
        error=error,
        staff=current_user.role is Role.STAFF,
        role=current_user.role.value,
        publications=checks.publications_of(engagement.id),
    )
    return page, status


@bp.get("/<int:engagement_id>")
def show(engagement_id: int):
    return _show(service.engagement_for(current_user, engagement_id))


def _version(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


@bp.post("/<int:engagement_id>/step")
def save_step(engagement_id: int):
    engagement = service.engagement_for(current_user, engagement_id)
    form = _step_form(engagement, StepForm())
    if not form.validate():
        return _show(engagement, form, 400)
    data = service.StepInput(
        owner=form.owner.data or "",
        due_on=form.due_on.data,
        documents=form.documents.data or "",
        ticked=list(form.ticked.data or []),
    )
    try:
        service.update_step(current_user, engagement_id, data, version=_version(form.version.data))
    except service.FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return _show(service.engagement_for(current_user, engagement_id), form, 400)
    except Conflict as error:
        db.session.rollback()
        return _show(service.engagement_for(current_user, engagement_id), form, 409, error.message)
    flash("The stage was saved.")
    return redirect(url_for("engagements.show", engagement_id=engagement_id))


@bp.post("/<int:engagement_id>/advance")
def advance(engagement_id: int):
    form = MoveForm()
    if not form.validate():
        flash("The form has expired: reload the page and try again.", "error")
        return redirect(url_for("engagements.show", engagement_id=engagement_id))
    try:
        engagement = service.advance_engagement(
            current_user, engagement_id, version=_version(form.version.data)
        )
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        engagement = service.engagement_for(current_user, engagement_id)
        return _show(engagement, status=error.status, error=error.message)
    flash(f"The engagement moved to \u201c{stages.label(engagement.stage)}\u201d.")
    return redirect(url_for("engagements.show", engagement_id=engagement_id))
