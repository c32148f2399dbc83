"""A city's Organizing Committee page: its members (staff add them; the city reads)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.fields import TextError, choices, clean_text
from app.core.permissions import require_staff
from app.engagements import committee, votes
from app.engagements.forms import MemberForm
from app.engagements.service import FieldError
from app.models import CommitteeMember, Review, Role

bp = Blueprint("committee", __name__)


class ActionForm(FlaskForm):
    """A form that needs only the CSRF token."""


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
        accounts=votes.member_accounts(city_id),
        staff=current_user.role is Role.STAFF,
    )
    return page, status


def _edit_page(city_id: int, member, form=None, status: int = 200):
    city, _ = committee.committee_of(current_user, city_id)
    if form is None:
        form = MemberForm(formdata=None, obj=member)
        form.group.data = member.group.value
    form.group.choices = choices((g.value, t) for g, t in committee.GROUP_LABELS.items())
    form.submit.label.text = "Save the member"
    page = render_template("engagements/committee_member.html", city=city, member=member, form=form)
    return page, status


@bp.route("/cities/<int:city_id>/committee/<int:member_id>", methods=["GET", "POST"])
def edit(city_id: int, member_id: int):
    require_staff(current_user)
    member = db.session.get(CommitteeMember, member_id)
    if member is None or member.city_id != city_id or not member.active:
        raise NotFound(f"There is no member {member_id} on this city's committee.")
    if request.method == "GET":
        return _edit_page(city_id, member)
    form = MemberForm()
    if not form.validate():
        return _edit_page(city_id, member, form, 400)
    data = committee.MemberInput(
        name=form.name.data or "", organisation=form.organisation.data or "", group=form.group.data
    )
    try:
        committee.edit_member(current_user, member_id, data)
    except FieldError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return _edit_page(city_id, db.session.get(CommitteeMember, member_id), form, 400)
    flash(f"{data.name.strip()} was saved.")
    return redirect(url_for("committee.show", city_id=city_id))


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


@bp.post("/reviews/<int:review_id>/votes")
def vote(review_id: int):
    """Add a member's vote to a bundle decision, then back to the bundle."""
    if not ActionForm().validate():
        flash("The form has expired: reload the page and try again.", "error")
        return redirect(url_for("bundles.index"))
    member = request.form.get("member_id", "")
    try:
        review = votes.add_vote(
            current_user,
            review_id,
            int(member) if member.isdigit() and len(member) < 10 else None,
            request.form.get("vote", ""),
            clean_text(request.form.get("comment", ""), max_length=2000),
        )
    except (InvalidInput, TextError) as error:
        db.session.rollback()
        flash(getattr(error, "message", str(error)), "error")
        review = db.session.get(Review, review_id)
        if review is None or review.bundle_id is None:
            raise
        return redirect(url_for("bundles.detail", bundle_id=review.bundle_id))
    flash("The vote was recorded.")
    return redirect(url_for("bundles.detail", bundle_id=review.bundle_id))
