"""Bundles: candidates, limits, optimisation, frontiers, review by the city."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.bundles import optimisation
from app.bundles import pages as bundle_pages
from app.bundles import service as bundles
from app.bundles.forms import ActionForm, BundleEditForm, NewBundleForm, choices, edit_data
from app.bundles.review_forms import ReviewForm
from app.bundles.reviews import review_bundle
from app.core.concurrency import creation_key
from app.core.errors import Conflict, InvalidInput
from app.core.extensions import db
from app.core.params import arg_id, arg_page
from app.engagements.committee import votes_from_form
from app.projects.reporting import read_report

bp = Blueprint("bundles", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _version(form) -> int | None:
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() else None


@bp.get("/bundles")
def index():
    city_id = arg_id("city_id")
    page = arg_page()
    report = read_report(request.args.get("currency"))
    context = bundle_pages.bundle_list(
        current_user,
        city_id=city_id,
        page=page,
        size=current_app.config["PAGE_SIZE"],
        report=report,
    )
    return render_template("bundles/list.html", **context), 400 if report.error else 200


@bp.route("/bundles/new", methods=["GET", "POST"])
def new():
    form = NewBundleForm()
    form.city_id.choices = choices(bundles.city_choices(current_user))
    if not form.is_submitted() and arg_id("city_id"):
        form.city_id.data = arg_id("city_id")
    if form.validate_on_submit():
        try:
            bundle = bundles.create_bundle(
                current_user,
                city_id=form.city_id.data,
                name=form.name.data,
                objective=form.objective.data,
                enpv_weight_pct=float(form.enpv_weight.data),
                currency=form.currency.data,
                price_base_year=form.price_base_year.data,
                creation_key=creation_key(form.creation_key.data),
            )
        except InvalidInput as error:
            return render_template("bundles/new.html", form=form, problem=error.message), 400
        flash("Bundle created: choose its candidates and limits, then optimise.", "info")
        return redirect(url_for("bundles.edit", bundle_id=bundle.id))
    status = 400 if form.is_submitted() else 200
    return render_template("bundles/new.html", form=form, problem=None), status


@bp.get("/bundles/<int:bundle_id>")
def detail(bundle_id: int):
    report = read_report(request.args.get("currency"))
    context = bundle_pages.bundle_page(current_user, bundle_id, report)
    version = context["bundle"].version
    page = render_template(
        "bundles/detail.html",
        action=ActionForm(version=version),
        review_form=ReviewForm(version=version),
        **context,
    )
    return page, 400 if report.error else 200


@bp.route("/bundles/<int:bundle_id>/edit", methods=["GET", "POST"])
def edit(bundle_id: int):
    if request.method == "POST":
        form = BundleEditForm()
        context = bundle_pages.editor_rows(current_user, bundle_id)
        _choices(form, context)
        problem, status = None, 400
        if form.validate():
            try:
                bundles.save_bundle(current_user, bundle_id, _version(form), form.to_spec())
            except (InvalidInput, Conflict) as error:
                problem, status = error.message, error.status
            else:
                flash("Bundle saved. Optimise it to see the best selection.", "info")
                return redirect(url_for("bundles.detail", bundle_id=bundle_id))
        return _editor(form, context, problem), status
    context = bundle_pages.editor_rows(current_user, bundle_id)
    form = BundleEditForm(data=edit_data(context["bundle"], context["rows"], context["years"]))
    _choices(form, context)
    return _editor(form, context, None)


def _choices(form: BundleEditForm, context: dict) -> None:
    projects = [(row.project.id, row.project.title) for row in context["rows"]]
    form.set_choices(projects, context["sectors"])


def _editor(form: BundleEditForm, context: dict, problem: str | None):
    by_id = {row.project.id: row for row in context["rows"]}
    return render_template("bundles/edit.html", form=form, by_id=by_id, problem=problem, **context)


@bp.post("/bundles/<int:bundle_id>/optimise")
def optimise(bundle_id: int):
    form = ActionForm()
    form.validate_on_submit()
    outcome, value = optimisation.optimise(current_user, bundle_id, _version(form))
    if outcome == "job":
        flash("This bundle is large: it is being optimised as a job.", "info")
        return redirect(url_for("jobs.status", job_id=value.id))
    return redirect(url_for("bundles.detail", bundle_id=bundle_id))


@bp.post("/bundles/<int:bundle_id>/send")
def send(bundle_id: int):
    form = ActionForm()
    form.validate_on_submit()
    bundles.send_bundle(current_user, bundle_id, _version(form))
    flash("Sent to the city committee for review.", "info")
    return redirect(url_for("bundles.detail", bundle_id=bundle_id))


@bp.post("/bundles/<int:bundle_id>/revise")
def revise(bundle_id: int):
    form = ActionForm()
    form.validate_on_submit()
    bundles.revise_bundle(current_user, bundle_id, _version(form))
    flash("The bundle is a draft again: change it, optimise it and send it again.", "info")
    return redirect(url_for("bundles.edit", bundle_id=bundle_id))


@bp.post("/bundles/<int:bundle_id>/review")
def review(bundle_id: int):
    form = ReviewForm()
    if not form.validate_on_submit():
        context = bundle_pages.bundle_page(current_user, bundle_id)
        return render_template(
            "bundles/detail.html",
            action=ActionForm(version=context["bundle"].version),
            review_form=form,
            **context,
        ), 400
    try:
        review_bundle(
            current_user,
            bundle_id,
            _version(form),
            form.decision.data,
            form.comment.data,
            votes_from_form(request.form),
        )
    except InvalidInput as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        context = bundle_pages.bundle_page(current_user, bundle_id)
        return render_template(
            "bundles/detail.html",
            action=ActionForm(version=context["bundle"].version),
            review_form=form,
            **context,
        ), 400
    flash("Your review was recorded and staff can see it.", "info")
    return redirect(url_for("bundles.detail", bundle_id=bundle_id))
