"""Forms of the staff matching pages: versioned actions on a project, matching all."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import InputRequired, NumberRange

from app.core.fields import WholeNumberField


class VersionedActionForm(FlaskForm):
    """An action on a project (publish, unpublish, save matches) made from one version."""

    version = HiddenField()
    next = HiddenField()

    def submitted_version(self) -> int | None:
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() else None


class MatchAllForm(FlaskForm):
    per_project = WholeNumberField(
        "Partners per project",
        default=3,
        validators=[
            InputRequired("Give how many partners each project should get."),
            NumberRange(1, 10, "Give a whole number from 1 to 10."),
        ],
    )
