"""Product packages: staff groups and compose at /packages, everyone sees published ones."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import InvalidInput
from app.models import Role
from app.packages import offers
from app.packages import service as packages
from app.packages.forms import BudgetForm, ComposeForm, PackageTextForm, PublishForm, QuantityForm
from app.partners.forms import InterestForm

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
    problem, page = None, {"levels": None, "packages": packages.list_packages(current_user)}
    try:
        page = packages.groups_page(current_user)
    except InvalidInput as error:  # too few cities with data: say what to do, on the page
        problem = error.message
    return render_template("packages/index.html", form=ComposeForm(), problem=problem, **page)


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
    context = offers.package_page(current_user, package_id)
    package = context["package"]
    forms.setdefault("text_form", PackageTextForm(obj=package))
    forms.setdefault("interest_form", InterestForm())
    return render_template(
        "packages/package.html",
        publish_form=PublishForm(),
        quantity_form=QuantityForm(),
        **forms,
        **context,
    ), status


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
    form = InterestForm()
    if form.validate_on_submit():
        try:
            offers.express_interest(current_user, package_id, form.message.data)
        except offers.DuplicateInterest as error:
            form.message.errors = [error.message]
        else:
            flash("Your interest in the package was sent to the programme team.", "info")
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
