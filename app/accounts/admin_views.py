"""Staff manage accounts on /admin/users: the list, inviting, an account's page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts import admin, invitations
from app.accounts.forms import InviteForm, RoleForm
from app.core.errors import Conflict, InvalidInput
from app.core.params import arg_page, arg_text
from app.core.permissions import require_staff
from app.models import Role

bp = Blueprint("users", __name__)


@bp.before_request
@login_required
def require_login():
    require_staff(current_user)


def _hours() -> int:
    return int(current_app.config.get("INVITATION_HOURS", invitations.DEFAULT_HOURS))


def _with_choices(form):
    return form.with_choices(*admin.binding_choices())


def _show(form, error: InvalidInput | Conflict) -> int:
    """Put the service's message on its field (or above the form); the status to answer."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, error.message]
    else:
        form.form_errors.append(error.message)
    return error.status


def private(response):
    """A page holding a set-password link: kept out of caches and Referer headers."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/admin/users")
def index():
    q, role = arg_text("q"), arg_text("role", max_length=10)
    role = role if role in {r.value for r in Role} else ""
    page = admin.list_accounts(
        current_user, role=role, q=q, page=arg_page(), size=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "accounts/users.html", page=page, q=q, role_filter=role, status_of=admin.account_status
    )


def _link_page(invited: invitations.Invited, status: int):
    link = url_for("invite.accept", token=invited.token, _external=True)
    page = render_template("accounts/invite_link.html", invited=invited, link=link, hours=_hours())
    return private(current_app.make_response((page, status)))


@bp.route("/admin/users/invite", methods=["GET", "POST"])
def invite():
    form = _with_choices(InviteForm())
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                invited = invitations.invite(
                    current_user,
                    form.email.data,
                    form.role.data,
                    name=form.name.data,
                    hours=_hours(),
                    **form.binding(),
                )
            except (InvalidInput, Conflict) as error:
                status = _show(form, error)
            else:
                return _link_page(invited, 201)
    return render_template("accounts/invite.html", form=form, hours=_hours()), status


def _account_page(user, role_form=None, errors=(), status: int = 200):
    if role_form is None:
        role_form = _with_choices(RoleForm(formdata=None))
        role_form.role.data = user.role.value
        role_form.city.data = str(user.city_id or "")
        role_form.partner.data = str(user.partner_id or "")
        role_form.expert.data = str(user.expert_id or "")
        role_form.member.data = str(user.committee_member_id or "")
    return render_template(
        "accounts/user.html",
        user=user,
        status=admin.account_status(user),
        link_until=admin.open_link_until(user),
        role_form=role_form,
        errors=errors,
    ), status


@bp.get("/admin/users/<int:user_id>")
def account(user_id: int):
    return _account_page(admin.get_account(current_user, user_id))


@bp.post("/admin/users/<int:user_id>/role")
def change_role(user_id: int):
    user = admin.get_account(current_user, user_id)
    form = _with_choices(RoleForm())
    if form.validate():
        try:
            admin.change_role(current_user, user_id, form.role.data, **form.binding())
        except (InvalidInput, Conflict) as error:
            return _account_page(user, form, status=_show(form, error))
        flash(f"{user.email} is now a {user.role.value} account.", "success")
        return redirect(url_for("users.account", user_id=user_id))
    return _account_page(user, form, status=400)


@bp.post("/admin/users/<int:user_id>/deactivate")
def deactivate(user_id: int):
    try:
        ended = admin.deactivate(current_user, user_id)
    except InvalidInput as error:
        user = admin.get_account(current_user, user_id)
        return _account_page(user, errors=[error.message], status=error.status)
    user = admin.get_account(current_user, user_id)
    flash(f"{user.email} is deactivated; {ended} open session(s) ended.", "success")
    return redirect(url_for("users.account", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/reactivate")
def reactivate(user_id: int):
    try:
        user = admin.reactivate(current_user, user_id)
    except InvalidInput as error:
        user = admin.get_account(current_user, user_id)
        return _account_page(user, errors=[error.message], status=error.status)
    flash(f"{user.email} can sign in again.", "success")
    return redirect(url_for("users.account", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/link")
def new_link(user_id: int):
    try:
        invited = invitations.new_link(current_user, user_id, hours=_hours())
    except InvalidInput as error:
        user = admin.get_account(current_user, user_id)
        return _account_page(user, errors=[error.message], status=error.status)
    return _link_page(invited, 200)
