"""The form for a city's own KPI target (staff only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.fields import NumberField, TextField
from app.core.numbers import QUANTITY, YEAR
from app.models import Direction

DIRECTION_LABELS = {
    Direction.HIGHER: "Higher is better",
    Direction.LOWER: "Lower is better",
    Direction.TARGET: "Best at the target (worse either side)",
    Direction.BOOLEAN: "Yes/no (1 = yes is the target)",
}


class TargetForm(FlaskForm):
    value = NumberField(
        "Target value",
        validators=[InputRequired("Enter the target value, in the KPI's unit.")],
        spec=QUANTITY,
        coerce=float,
    )
    target_year = NumberField(
        "Target year",
        spec=YEAR,
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
    source_title = TextField(
        max_length=1000,
        label="Source or justification",
        validators=[
            DataRequired("Say where the target comes from or why it fits this city."),
            Length(max=1000, message="Keep the source under 1,000 characters."),
        ],
    )
    source_url = TextField(
        max_length=1000,
        label="Source web address (optional)",
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
