"""Annual review pages: an engagement's reviews (one per year), the figures a review of
a year compares, and saving it with its findings (staff)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.action_plans import reviews
from app.action_plans.forms import ReviewForm
from app.core.errors import Conflict, InvalidInput
from app.core.extensions import db
from app.engagements.service import FieldError, today
from app.models import Role

bp = Blueprint("annual_reviews", __name__, url_prefix="/engagements/<int:engagement_id>")


@bp.before_request
@login_required
def require_login():
    return None


def _page(engagement_id: int, form: ReviewForm | None = None, status: int = 200, error=None):
    engagement, saved = reviews.reviews_of(current_user, engagement_id)
    staff = current_user.role is Role.STAFF
    figures = None
    if staff:
        if form is None:
            form = ReviewForm(formdata=None)
            form.year.data = max(engagement.requested_on.year, today().year - 1)
        if not form.year.errors and not form.baseline_year.errors:
            try:
                figures = reviews.review_figures(
                    current_user, engagement_id, form.year.data, form.baseline_year.data
                )
            except FieldError as problem:  # say it on the field; the page still shows
                form[problem.field].errors = [*form[problem.field].errors, problem.message]
    html = render_template(
        "action_plans/reviews.html",
        engagement=engagement,
        saved=saved,
        form=form,
        figures=figures,
        error=error,
        staff=staff,
    )
    return html, status


@bp.get("/reviews")
def index(engagement_id: int):
    if current_user.role is Role.STAFF and request.args:
        form = ReviewForm(request.args, meta={"csrf": False})
        form.validate()
        form.findings.errors = []
        return _page(engagement_id, form)
    return _page(engagement_id)


@bp.post("/reviews")
def save(engagement_id: int):
    form = ReviewForm()
    if not form.validate():
        return _page(engagement_id, form, 400)
    data = reviews.ReviewInput(
        year=form.year.data,
        baseline_year=form.baseline_year.data,
        findings=form.findings.data or "",
    )
    try:
        review = reviews.save_review(current_user, engagement_id, data)
    except FieldError as error:
        db.session.rollback()
        form[error.field].errors = [*form[error.field].errors, error.message]
        return _page(engagement_id, form, 400)
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        return _page(engagement_id, form, error.status, error.message)
    flash(f"The annual review of {review.year} was saved.")
    return redirect(
        url_for("annual_reviews.index", engagement_id=engagement_id) + f"#review-{review.year}"
    )
