"""Publishing projects and matching partners and consortia to them (staff)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.partners import project_matches as pm
from app.partners.match_forms import VersionedActionForm

bp = Blueprint("matches", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _back(form: VersionedActionForm, project_id: int) -> str:
    target = (form.next.data or "").strip()
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("matches.project_matches", project_id=project_id)


@bp.post("/projects/<int:project_id>/publish")
def publish(project_id: int):
    form = VersionedActionForm()
    pm.publish(current_user, project_id, form.submitted_version())
    flash("Published: partners now see this project under Opportunities.", "info")
    return redirect(_back(form, project_id))


@bp.post("/projects/<int:project_id>/unpublish")
def unpublish(project_id: int):
    form = VersionedActionForm()
    pm.unpublish(current_user, project_id, form.submitted_version())
    flash("Unpublished: partners no longer see this project.", "info")
    return redirect(_back(form, project_id))


@bp.get("/projects/<int:project_id>/matches")
def project_matches(project_id: int):
    context = pm.match_context(current_user, project_id)
    return render_template(
        "partners/matches.html",
        form=VersionedActionForm(version=context["project"].version),
        role_labels=pm.ROLE_LABELS,
        **context,
    )


@bp.post("/projects/<int:project_id>/matches")
def save(project_id: int):
    form = VersionedActionForm()
    written = pm.save_matches(current_user, project_id, form.submitted_version())
    flash(f"Saved {written} matches for this project.", "info")
    return redirect(url_for("matches.project_matches", project_id=project_id))


@bp.post("/projects/<int:project_id>/interests/<int:interest_id>")
def decide(project_id: int, interest_id: int):
    interest = pm.decide_interest(
        current_user, project_id, interest_id, request.form.get("decision", "")
    )
    flash(f"The interest of {interest.partner.name} is now {interest.status.value}.", "info")
    return redirect(url_for("matches.project_matches", project_id=project_id) + "#interests")
