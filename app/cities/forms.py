"""The form for a city's own KPI target (staff only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.models import Direction

DIRECTION_LABELS = {
    Direction.HIGHER: "Higher is better",
    Direction.LOWER: "Lower is better",
    Direction.TARGET: "Best at the target (worse either side)",
    Direction.BOOLEAN: "Yes/no (1 = yes is the target)",
}


class NumberField(FloatField):
    """A float field whose error says how to write the number."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a number, e.g. 42.5 (a point for decimals).") from None


class YearField(IntegerField):
    """An integer field whose error says what a year looks like."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a year as four digits, e.g. 2030.") from None


class TargetForm(FlaskForm):
    value = NumberField(
        "Target value", validators=[InputRequired("Enter the target value, in the KPI's unit.")]
    )
    target_year = YearField(
        "Target year",
        validators=[
            InputRequired("Enter the year by which the target should be reached."),
            NumberRange(2000, 2100, "Enter a year between 2000 and 2100."),
        ],
    )
    direction = SelectField(
        "Direction",
        choices={d.value: label for d, label in DIRECTION_LABELS.items()},
        validators=[DataRequired("Choose which way the KPI improves.")],
    )
    source_title = StringField(
        "Source or justification",
        validators=[
            DataRequired("Say where the target comes from or why it fits this city."),
            Length(max=1000, message="Keep the source under 1,000 characters."),
        ],
    )
    source_url = StringField(
        "Source web address (optional)",
        validators=[
            Optional(),
            URL(message="Enter a full web address starting with http:// or https://."),
            Length(max=1000),
        ],
    )
    stamp = HiddenField()
    submit = SubmitField("Save the city's target")


class RemoveTargetForm(FlaskForm):
    stamp = HiddenField()
    submit = SubmitField("Remove the city's target")
