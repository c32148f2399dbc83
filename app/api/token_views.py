"""/account/tokens: the signed-in user's personal access tokens for the API."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.api import tokens as service
from app.core.errors import InvalidInput

bp = Blueprint("api_tokens", __name__)

DURATIONS = [
    SelectChoice("", "until revoked"),
    SelectChoice("30", "30 days"),
    SelectChoice("90", "90 days"),
    SelectChoice("365", "365 days"),
]


class TokenForm(FlaskForm):
    name = StringField(
        "Name (where the token is used)",
        validators=[
            DataRequired("Give the token a name, e.g. 'nightly KPI push'."),
            Length(max=service.NAME_MAX),
        ],
    )
    days = SelectField("Valid", choices=DURATIONS, default="")
    submit = SubmitField("Create token")


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke")


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form, created, status = TokenForm(), None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                created = service.create_token(
                    current_user, form.name.data, int(form.days.data) if form.days.data else None
                )
            except InvalidInput as error:
                form.name.errors = [*form.name.errors, error.message]
            else:
                status, form = 201, TokenForm(formdata=None)
    return render_template(
        "api/tokens.html",
        form=form,
        revoke=RevokeForm(),
        created=created,
        tokens=service.list_tokens(current_user),
    ), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if RevokeForm().validate_on_submit():
        token = service.revoke_token(current_user, token_id)
        flash(f"The token '{token.name}' is revoked; scripts using it are refused.", "success")
    return redirect(url_for("api_tokens.tokens"))
