"""Forms of the staff matching pages: versioned actions, matching all, twin cohorts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional


class VersionedActionForm(FlaskForm):
    """An action on a project (publish, unpublish, save matches) made from one version."""

    version = HiddenField()
    next = HiddenField()

    def submitted_version(self) -> int | None:
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() else None


class MatchAllForm(FlaskForm):
    per_project = IntegerField(
        "Partners per project",
        default=3,
        validators=[
            InputRequired("Give how many partners each project should get."),
            NumberRange(1, 10, "Give a whole number from 1 to 10."),
        ],
    )


class CohortForm(FlaskForm):
    """Which cities form the twinning cohort (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    region = SelectField("World Bank region", choices=[], validate_choice=False)
    q = StringField("City name contains", validators=[Optional()])
    capacity = IntegerField(
        "Mentees per mentor",
        default=2,
        validators=[Optional(), NumberRange(1, 10, "Give a whole number from 1 to 10.")],
    )
    k = IntegerField(
        "Suggestions per city",
        default=3,
        validators=[Optional(), NumberRange(1, 10, "Give a whole number from 1 to 10.")],
    )
