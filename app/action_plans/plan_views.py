"""Action plan pages: the plan of an engagement, building it from the approved bundle,
adding and editing milestones, recording the city's agreement; and the PROFILE issued
for the engagement (issuing it, downloading it)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.action_plans import plan, publication
from app.action_plans.forms import ActionForm, AgreeForm, MilestoneForm
from app.core.errors import Conflict, InvalidInput
from app.core.extensions import db
from app.core.fields import choices
from app.core.permissions import require_staff
from app.engagements.service import FieldError
from app.models import Role

bp = Blueprint("action_plans", __name__, url_prefix="/engagements/<int:engagement_id>")


@bp.before_request
@login_required
def require_login():
    return None


def _version(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _with_projects(form: MilestoneForm, page: plan.PlanPage) -> MilestoneForm:
    form.project_id.choices = choices(
        [("", "Choose a project")] + [(str(p.project.id), p.project.title) for p in page.projects]
    )
    return form


def _input(form: MilestoneForm) -> plan.MilestoneInput:
    project = form.project_id.data or ""
    return plan.MilestoneInput(
        project_id=int(project) if project.isdigit() and len(project) < 10 else None,
        name=form.name.data or "",
        due_on=form.due_on.data,
        owner=form.owner.data or "",
        status=form.status.data or "",
        done_on=form.done_on.data,
    )


def _page(engagement_id: int, *, add=None, agree=None, status: int = 200, error=None):
    page = plan.plan_page(current_user, engagement_id)
    version = str(page.plan.version) if page.plan else ""
    add = add or MilestoneForm(formdata=None, version=version)
    agree = agree or AgreeForm(formdata=None, version=version)
    html = render_template(
        "action_plans/plan.html",
        page=page,
        add=_with_projects(add, page),
        agree=agree,
        action=ActionForm(),
        labels=plan.STATUS_LABELS,
        error=error,
        staff=current_user.role is Role.STAFF,
        bundle_link=current_user.role in (Role.STAFF, Role.CITY),  # experts see no bundles
    )
    return html, status


def _refused(form, error, engagement_id: int, **forms):
    db.session.rollback()
    field = getattr(error, "field", None)
    if isinstance(error, FieldError) and field in form:
        form[field].errors = [*form[field].errors, error.message]
        return _page(engagement_id, **forms, status=400)
    return _page(engagement_id, **forms, status=error.status, error=error.message)


@bp.get("/plan")
def show(engagement_id: int):
    return _page(engagement_id)


@bp.post("/plan/build")
def build(engagement_id: int):
    if not ActionForm().validate():
        return _page(engagement_id, status=400, error="The form has expired: reload the page.")
    try:
        plan.build_plan(current_user, engagement_id)
    except InvalidInput as error:
        db.session.rollback()
        return _page(engagement_id, status=error.status, error=error.message)
    flash("The action plan was built from the approved bundle: add each project's milestones.")
    return redirect(url_for("action_plans.show", engagement_id=engagement_id))


@bp.post("/plan/milestones")
def add(engagement_id: int):
    form = MilestoneForm()
    if not form.validate():
        return _page(engagement_id, add=form, status=400)
    try:
        plan.add_milestone(
            current_user, engagement_id, _input(form), version=_version(form.version.data)
        )
    except (InvalidInput, Conflict) as error:
        return _refused(form, error, engagement_id, add=form)
    flash("The milestone was added.")
    return redirect(url_for("action_plans.show", engagement_id=engagement_id))


def _edit_page(engagement_id, milestone, form=None, status=200, error=None):
    page = plan.plan_page(current_user, engagement_id)
    if form is None:
        form = MilestoneForm(formdata=None, obj=milestone, version=str(page.plan.version))
        form.project_id.data = str(milestone.project_id)
        form.status.data = milestone.status.value
    html = render_template(
        "action_plans/milestone.html",
        page=page,
        milestone=milestone,
        form=_with_projects(form, page),
        error=error,
    )
    return html, status


@bp.route("/plan/milestones/<int:milestone_id>", methods=["GET", "POST"])
def edit(engagement_id: int, milestone_id: int):
    milestone = plan.milestone_for(current_user, engagement_id, milestone_id)
    require_staff(current_user)
    form = MilestoneForm() if request.method == "POST" else None
    if form is None:
        return _edit_page(engagement_id, milestone)
    if not form.validate():
        return _edit_page(engagement_id, milestone, form, 400)
    try:
        plan.edit_milestone(
            current_user, engagement_id, milestone_id, _input(form),
            version=_version(form.version.data),
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        if isinstance(error, FieldError) and error.field in form:
            form[error.field].errors = [*form[error.field].errors, error.message]
            return _edit_page(engagement_id, milestone, form, 400)
        return _edit_page(engagement_id, milestone, form, error.status, error.message)
    flash("The milestone was saved.")
    return redirect(url_for("action_plans.show", engagement_id=engagement_id))


@bp.post("/plan/agree")
def agree(engagement_id: int):
    form = AgreeForm()
    if not form.validate():
        return _page(engagement_id, agree=form, status=400)
    try:
        plan.agree_plan(
            current_user, engagement_id, form.agreed_on.data, version=_version(form.version.data)
        )
    except (InvalidInput, Conflict) as error:
        return _refused(form, error, engagement_id, agree=form)
    flash("The city's agreement to the action plan was recorded.")
    return redirect(url_for("action_plans.show", engagement_id=engagement_id))


@bp.post("/profile")
def issue_profile(engagement_id: int):
    if not ActionForm().validate():
        flash("The form has expired: reload the page and try again.", "error")
    else:
        publication.issue_profile(current_user, engagement_id)
        flash("The city PROFILE was issued for this engagement (PDF kept below).")
    return redirect(url_for("engagements.show", engagement_id=engagement_id))


@bp.get("/profile/<int:publication_id>.pdf")
def profile_pdf(engagement_id: int, publication_id: int):
    issued = publication.issued_profile(current_user, engagement_id, publication_id)
    response = Response(issued.pdf, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=issued.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
