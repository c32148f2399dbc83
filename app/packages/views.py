"""Product packages: staff groups and compose at /packages, everyone sees published ones."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import InvalidInput
from app.models import Role
from app.packages import groups, offers
from app.packages import service as packages
from app.packages.forms import (
    BudgetForm,
    ComposeForm,
    ConsortiumForm,
    GroupingForm,
    PackageInterestForm,
    PackageTextForm,
    PublishForm,
    QuantityForm,
)

bp = Blueprint("packages", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/packages")
def index():
    if current_user.role is Role.CITY:
        return redirect(url_for("packages.mine"))
    if current_user.role is Role.PARTNER:
        return redirect(url_for("packages.published"))
    page = packages.groups_page(current_user)
    return render_template(
        "packages/index.html", form=ComposeForm(), grouping_form=GroupingForm(), **page
    )


@bp.post("/packages/grouping")
def regroup():
    """Staff: group the cities again, as a job; its page links back here."""
    if not GroupingForm().validate_on_submit():
        return redirect(url_for("packages.index")), 303
    job = groups.start_grouping(current_user)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.post("/packages/compose")
def compose():
    form = ComposeForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("packages.index")), 303
    package = packages.compose_for_level(current_user, form.level.data)
    flash(f"Composed '{package.title}' as a draft: check it, then publish.", "info")
    return redirect(url_for("packages.show", package_id=package.id))


def _render(package_id: int, status: int = 200, **forms):
    consortium_form = ConsortiumForm(request.args)
    valid = consortium_form.validate()
    status = status if valid else 400
    members = consortium_form.members.data if valid else []
    if "interest_form" in forms:  # a refused interest keeps the consortium it was sent with
        members = forms["interest_form"].members.data or members
    context = offers.package_page(current_user, package_id, members)
    package = context["package"]
    forms.setdefault("text_form", PackageTextForm(obj=package))
    forms.setdefault("interest_form", PackageInterestForm())
    return render_template(
        "packages/package.html",
        consortium_form=consortium_form,
        chosen=members,
        publish_form=PublishForm(),
        quantity_form=QuantityForm(),
        **forms,
        **context,
    ), (400 if context.get("proposal_problem") else status)


@bp.get("/packages/<int:package_id>")
def show(package_id: int):
    return _render(package_id)


@bp.post("/packages/<int:package_id>/text")
def edit_text(package_id: int):
    form = PackageTextForm()
    if not form.validate_on_submit():
        return _render(package_id, 400, text_form=form)
    packages.update_text(current_user, package_id, form.title.data, form.description.data or "")
    flash("Saved the title and description.", "info")
    return redirect(url_for("packages.show", package_id=package_id))


@bp.post("/packages/<int:package_id>/lines/<int:line_id>")
def edit_line(package_id: int, line_id: int):
    form = QuantityForm()
    if not form.validate_on_submit():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        flash(f"Quantity not saved: {errors[0]}", "error")
        return _render(package_id, 400)
    packages.set_quantity(current_user, package_id, line_id, form.quantity.data)
    flash("Saved the quantity; capex and opex follow it.", "info")
    return redirect(url_for("packages.show", package_id=package_id))


@bp.post("/packages/<int:package_id>/lines/<int:line_id>/remove")
def remove_line(package_id: int, line_id: int):
    if PublishForm().validate_on_submit():
        packages.remove_line(current_user, package_id, line_id)
        flash("Removed the solution from the package.", "info")
    return redirect(url_for("packages.show", package_id=package_id))


@bp.post("/packages/<int:package_id>/publish")
def publish(package_id: int):
    if PublishForm().validate_on_submit():
        published = request.form.get("action") != "withdraw"
        packages.publish(current_user, package_id, published)
        flash(
            "Published: partners and member cities see it." if published else "Withdrawn.", "info"
        )
    return redirect(url_for("packages.show", package_id=package_id))


@bp.post("/packages/<int:package_id>/interest")
def express(package_id: int):
    form = PackageInterestForm()
    if form.validate_on_submit():
        members = form.members.data or []
        try:
            offers.express_interest(current_user, package_id, form.message.data, members)
        except offers.DuplicateInterest as error:
            form.message.errors = [error.message]
        except InvalidInput as error:  # a member who is not an approved partner
            form.members.errors = [error.message]
        else:
            who = "as a consortium " if members else ""
            flash(f"Your interest {who}in the package was sent to the programme team.", "info")
            return redirect(url_for("packages.show", package_id=package_id))
    return _render(package_id, 400, interest_form=form)


@bp.get("/packages/published")
def published():
    found = offers.published_packages(current_user)
    return render_template("packages/published.html", found=found, fx_note=offers.mm.fx_note())


@bp.get("/packages/mine")
def mine():
    form = BudgetForm(request.args)
    valid = form.validate()
    budget = form.budget.data if valid else None
    context = offers.city_package(current_user, budget)
    return render_template("packages/mine.html", form=form, **context), (200 if valid else 400)
