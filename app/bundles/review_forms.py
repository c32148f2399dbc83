"""The city committee's review of a bundle: a decision and, to reject or ask for
changes, a comment saying why."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from app.core.fields import LongTextField

__all__ = ["ReviewForm", "DECISIONS"]

DECISIONS = [
    SelectChoice("approved", "Approve"),
    SelectChoice("changes_requested", "Ask for changes"),
    SelectChoice("rejected", "Reject"),
]


class ReviewForm(FlaskForm):
    version = HiddenField()
    decision = RadioField(
        "Your decision", choices=DECISIONS, validators=[InputRequired("Choose a decision.")]
    )
    comment = LongTextField(
        "Comment (required to reject or ask for changes)", validators=[Length(max=5000)]
    )
    submit = SubmitField("Send review")

    def validate_comment(self, field) -> None:
        if (
            self.decision.data in ("rejected", "changes_requested")
            and not (field.data or "").strip()
        ):
            raise ValidationError("Say why: a comment is required to reject or to ask for changes.")
