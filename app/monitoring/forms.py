"""The yearly progress report form: status, narrative and KPI actuals against the plan."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.cities.forms import NumberField, YearField
from app.monitoring.service import FIRST_YEAR, LAST_YEAR, STATUSES


class ActualRow(Form):
    """One KPI's planned and actual value (both optional; an empty row is skipped)."""

    kpi_id = HiddenField()
    planned = NumberField("Planned value", validators=[Optional()])
    actual = NumberField("Actual value", validators=[Optional()])


class ProgressForm(FlaskForm):
    project_id = HiddenField()
    year = YearField(
        "Year reported on",
        validators=[
            InputRequired("Enter the year the report covers, e.g. 2025."),
            NumberRange(
                FIRST_YEAR, LAST_YEAR, f"Enter a year between {FIRST_YEAR} and {LAST_YEAR}."
            ),
        ],
    )
    status = SelectField(
        "Status",
        choices=dict(STATUSES),
        validators=[DataRequired("Choose a status.")],
    )
    narrative = TextAreaField(
        "What happened this year",
        validators=[
            DataRequired("Describe the progress of the year in a few sentences."),
            Length(max=5000, message="Keep the narrative under 5,000 characters."),
        ],
    )
    actuals = FieldList(FormField(ActualRow))
    submit = SubmitField("File the progress report")

    def actual_rows(self) -> list[tuple[int, float | None, float | None]]:
        return [
            (int(row.kpi_id.data), row.planned.data, row.actual.data)
            for row in self.actuals
            if (row.kpi_id.data or "").isdigit()
        ]
