"""Mission pages: recording a mission of an engagement, and a mission's findings per
KPI dimension with the KPI values it produced."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.concurrency import creation_key, new_creation_key
from app.core.errors import Conflict
from app.core.extensions import db
from app.core.permissions import require_staff
from app.engagements import missions
from app.engagements.forms import FindingsForm, MissionForm
from app.engagements.service import FieldError, engagement_for
from app.models import Role

bp = Blueprint("missions", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.route("/engagements/<int:engagement_id>/missions/new", methods=["GET", "POST"])
def new(engagement_id: int):
    require_staff(current_user)
    engagement = engagement_for(current_user, engagement_id)
    form = MissionForm()
    template = "engagements/mission_new.html"
    if not form.is_submitted():
        form.creation_key.data = new_creation_key()
        return render_template(template, form=form, engagement=engagement)
    if not form.validate():
        return render_template(template, form=form, engagement=engagement), 400
    data = missions.MissionInput(
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        participants=form.participants.data or "",
        creation_key=creation_key(form.creation_key.data),
    )
    try:
        mission = missions.record_mission(current_user, engagement_id, data)
    except FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return render_template(template, form=form, engagement=engagement), 400
    flash("The mission was recorded; add its findings and the KPI values it produced.")
    return redirect(url_for("missions.show", mission_id=mission.id))


def _page(page, form: FindingsForm | None = None, status: int = 200, error=None):
    if form is None:
        form = FindingsForm(formdata=None)
        for name, dimension in FindingsForm.DIMENSIONS.items():
            getattr(form, name).data = page.findings.get(dimension, "")
        form.change_ids.data = [c.id for c in page.mission.changes]
        form.version.data = str(page.mission.version)
    html = render_template(
        "engagements/mission.html",
        page=page,
        form=form,
        error=error,
        staff=current_user.role is Role.STAFF,
        can_edit=current_user.role in (Role.STAFF, Role.EXPERT),  # the findings
    )
    return html, status


@bp.get("/missions/<int:mission_id>")
def show(mission_id: int):
    return _page(missions.mission_page(current_user, mission_id))


@bp.post("/missions/<int:mission_id>")
def save(mission_id: int):
    form = FindingsForm()
    if not form.validate():
        return _page(missions.mission_page(current_user, mission_id), form, 400)
    version = form.version.data or ""
    try:
        missions.save_findings(
            current_user,
            mission_id,
            {d: getattr(form, name).data or "" for name, d in FindingsForm.DIMENSIONS.items()},
            list(form.change_ids.data or []),
            version=int(version) if version.isdigit() else None,
        )
    except FieldError as error:
        db.session.rollback()
        form.change_ids.errors = [*form.change_ids.errors, error.message]
        return _page(missions.mission_page(current_user, mission_id), form, 400)
    except Conflict as error:
        db.session.rollback()
        return _page(missions.mission_page(current_user, mission_id), form, 409, error.message)
    flash("The mission's findings were saved.")
    return redirect(url_for("missions.show", mission_id=mission_id))
