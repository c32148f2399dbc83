"""Published opportunities for partners: filters, fit scores with reasons, interest."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.params import arg_id, arg_page
from app.partners import match_all
from app.partners import opportunities as ops
from app.partners.forms import FilterForm, InterestForm
from app.partners.match_forms import MatchAllForm

bp = Blueprint("opportunities", __name__)
PAGE_SIZE = 20


@bp.before_request
@login_required
def require_login():
    return None


def _page() -> int:
    return arg_page()


def _preview() -> int | None:
    return arg_id("partner")


@bp.get("/opportunities")
def index():
    form = FilterForm(request.args)
    form.set_choices(ops.filter_choices())
    valid = form.validate()
    filters = form.filters() if valid else ops.Filters()
    partner, page = ops.list_opportunities(
        current_user, filters, partner_id=_preview(), page=_page(), size=PAGE_SIZE
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "partners/opportunities.html",
        form=form,
        partner=partner,
        page=page,
        args=args,
        sorts=ops.SORTS,
    ), (200 if valid else 400)


@bp.get("/opportunities/<int:project_id>")
def detail(project_id: int):
    context = ops.get_opportunity(current_user, project_id, partner_id=_preview())
    return render_template("partners/opportunity.html", form=InterestForm(), **context)


@bp.post("/opportunities/<int:project_id>/interest")
def express(project_id: int):
    form = InterestForm()
    if form.validate_on_submit():
        try:
            ops.express_interest(current_user, project_id, form.message.data)
        except ops.DuplicateInterest as error:
            form.message.errors = [error.message]
        else:
            flash("Your interest was sent to the programme team.", "info")
            return redirect(url_for("opportunities.interests"))
    context = ops.get_opportunity(current_user, project_id)
    return render_template("partners/opportunity.html", form=form, **context), 400


@bp.get("/opportunities/interests")
def interests():
    partner, page = ops.list_interests(current_user, partner_id=_preview(), page=_page())
    return render_template("partners/interests.html", partner=partner, page=page)


@bp.route("/opportunities/admin", methods=["GET", "POST"])
def admin():
    form = MatchAllForm()
    result, status = None, 200
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = match_all.start_match_all(current_user, form.per_project.data)
            if "job" in outcome:
                return redirect(url_for("jobs.status", job_id=outcome["job"].id))
            result = outcome["result"]
            flash(f"Matched {result['projects_matched']} projects.", "info")
        else:
            status = 400
    overview = match_all.matching_overview(current_user)
    return render_template(
        "partners/admin.html", form=form, overview=overview, result=result
    ), status
