"""A city's Organizing Committee page: its members (staff add them; the city reads)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.extensions import db
from app.core.fields import choices
from app.engagements import committee
from app.engagements.forms import MemberForm
from app.engagements.service import FieldError
from app.models import Role

bp = Blueprint("committee", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _page(city_id: int, form: MemberForm | None = None, status: int = 200):
    city, members = committee.committee_of(current_user, city_id)
    form = form or MemberForm(formdata=None)
    form.group.choices = choices(
        [("", "Choose a group")] + [(g.value, t) for g, t in committee.GROUP_LABELS.items()]
    )
    page = render_template(
        "engagements/committee.html",
        city=city,
        members=members,
        form=form,
        labels=committee.GROUP_LABELS,
        staff=current_user.role is Role.STAFF,
    )
    return page, status


@bp.get("/cities/<int:city_id>/committee")
def show(city_id: int):
    return _page(city_id)


@bp.post("/cities/<int:city_id>/committee")
def add(city_id: int):
    form = MemberForm()
    if not form.validate():
        return _page(city_id, form, 400)
    data = committee.MemberInput(
        name=form.name.data or "", organisation=form.organisation.data or "", group=form.group.data
    )
    try:
        member = committee.add_member(current_user, city_id, data)
    except FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return _page(city_id, form, 400)
    flash(f"{member.name} joined the committee.")
    return redirect(url_for("committee.show", city_id=city_id))
