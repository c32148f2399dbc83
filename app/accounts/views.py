"""Sign in and out, and the account page (password, signing out everywhere)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts.forms import LoginForm, PasswordForm, SignOutEverywhereForm
from app.accounts.service import authenticate, change_password, registration_state
from app.accounts.sessions import (
    end_all_sessions,
    end_session,
    open_session,
    open_sessions,
    session_user,
)
from app.accounts.throttle import Limits, blocked_until, forget_failures, record_failure
from app.core.errors import InvalidInput
from app.core.extensions import limiter
from app.models.base import utcnow

bp = Blueprint("auth", __name__)

#: The cookie-session key holding this sign-in's token (see app.accounts.sessions).
SESSION_KEY = "usc_session"


def load_signed_in_user(user_id: str):
    """Flask-Login's user loader: only an open server-side session signs a request in."""
    return session_user(user_id, session.get(SESSION_KEY))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _limits() -> Limits:
    config = current_app.config
    return Limits(
        config["LOGIN_FAILURES_PER_ACCOUNT"],
        config["LOGIN_FAILURES_PER_ADDRESS"],
        config["LOGIN_BLOCK_MINUTES"],
    )


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("dashboard.index")


def _blocked_message(until: datetime) -> str:
    minutes = max(1, round((until - utcnow()).total_seconds() / 60))
    return (
        "Too many failed sign-ins for this account or from this address: sign-in is "
        f"blocked until {until:%H:%M} UTC (about {minutes} minute{'s' if minutes > 1 else ''}), "
        "even with the right password. Ask staff to reset the password if you forgot it."
    )


def _sign_in(user) -> None:
    session.clear()  # a new session for a new sign-in: nothing carries over
    session[SESSION_KEY] = open_session(user, request.user_agent.string or "")
    login_user(user)


def _sign_out() -> None:
    end_session(session.get(SESSION_KEY))
    logout_user()
    session.clear()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email, address, limits = form.email.data, request.remote_addr, _limits()
        until = blocked_until(email, address, limits)
        user = None if until else authenticate(email, form.password.data)
        if user is not None:
            forget_failures(email)
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        waiting = None if until else registration_state(email, form.password.data)
        if waiting:
            form.form_errors.append(waiting)
            return render_template("accounts/login.html", form=form), 403
        if until is None:
            record_failure(email, address, limits)
            until = blocked_until(email, address, limits)
        if until is not None:
            form.form_errors.append(_blocked_message(until))
            status = 429
        else:
            form.password.errors.append(
                "The e-mail or the password is wrong. Check both and try again."
            )
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    _sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    password, everywhere = PasswordForm(prefix="pw"), SignOutEverywhereForm(prefix="all")
    status = 200
    if everywhere.submit.data and everywhere.validate_on_submit():
        end_all_sessions(current_user)
        logout_user()
        session.clear()
        flash("Every session of your account is signed out, this one too.", "info")
        return redirect(url_for("auth.login"))
    if password.submit.data:
        if password.validate_on_submit():
            try:
                change_password(current_user, password.current.data, password.new.data)
            except InvalidInput as error:
                password.current.errors.append(error.message)
            else:
                ended = end_all_sessions(current_user, keep=session.get(SESSION_KEY))
                flash(
                    f"Password changed; {ended} other session(s) signed out.",
                    "success",
                )
                return redirect(url_for("auth.account"))
        status = 400
    return render_template(
        "accounts/account.html",
        password=password,
        everywhere=everywhere,
        sessions=open_sessions(current_user),
    ), status
