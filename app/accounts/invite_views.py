"""/invite/<token>: an invited person sets a password through the link staff gave them."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts import invitations
from app.accounts.admin import FieldError
from app.accounts.admin_views import private
from app.accounts.forms import SetPasswordForm
from app.accounts.views import _login_limit, _sign_in, _sign_out
from app.core.errors import NotFound
from app.core.extensions import limiter

bp = Blueprint("invite", __name__)


def _refused(error: NotFound | invitations.LinkGone):
    """A link that does not work: say what happened and whom to ask (404 or 410)."""
    page = render_template("accounts/invite_invalid.html", message=error.message)
    return private(current_app.make_response((page, error.status)))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept(token: str):
    try:
        invitation = invitations.open_link(token)
    except (NotFound, invitations.LinkGone) as error:
        return _refused(error)
    form = SetPasswordForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                user = invitations.accept(token, form.new.data, form.repeat.data)
            except FieldError as error:
                form[error.field].errors = [*form[error.field].errors, error.message]
            except (NotFound, invitations.LinkGone) as error:
                return _refused(error)
            else:
                if current_user.is_authenticated:
                    _sign_out()  # someone else signed in on this browser: end that session
                _sign_in(user)
                flash("Your password is set and you are signed in. Welcome!", "success")
                return redirect(url_for("dashboard.index"))
    page = render_template("accounts/set_password.html", form=form, user=invitation.user)
    return private(current_app.make_response((page, status)))
