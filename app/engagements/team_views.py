"""The expert pool page and an engagement's team: the proposal with its reasons, and
staff confirming the experts they tick."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.errors import Conflict
from app.core.extensions import db
from app.core.fields import choices
from app.engagements import team
from app.engagements.forms import ConfirmTeamForm
from app.engagements.service import FieldError

bp = Blueprint("engagement_team", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/experts")
def experts():
    pool, committed, year = team.expert_pool(current_user)
    return render_template("engagements/experts.html", experts=pool, committed=committed, year=year)


def _page(proposal, form: ConfirmTeamForm | None = None, status: int = 200, error=None):
    if form is None:
        form = ConfirmTeamForm(formdata=None)
        form.expert_ids.data = [m.expert.id for m in proposal.members]
        form.version.data = str(proposal.engagement.version)
    form.expert_ids.choices = choices((m.expert.id, m.expert.name) for m in proposal.members)
    page = render_template("engagements/team.html", proposal=proposal, form=form, error=error)
    return page, status


@bp.get("/engagements/<int:engagement_id>/team")
def proposal(engagement_id: int):
    return _page(team.propose(current_user, engagement_id))


@bp.post("/engagements/<int:engagement_id>/team")
def confirm(engagement_id: int):
    form = ConfirmTeamForm()
    if not form.validate():
        return _page(team.propose(current_user, engagement_id), form, 400)
    version = form.version.data or ""
    try:
        team.confirm_team(
            current_user,
            engagement_id,
            list(form.expert_ids.data or []),
            version=int(version) if version.isdigit() else None,
        )
    except FieldError as error:
        db.session.rollback()
        form.expert_ids.errors = [*form.expert_ids.errors, error.message]
        return _page(team.propose(current_user, engagement_id), form, 400)
    except Conflict as error:
        db.session.rollback()
        return _page(team.propose(current_user, engagement_id), form, 409, error.message)
    flash("The expert team was confirmed.")
    return redirect(url_for("engagements.show", engagement_id=engagement_id))
