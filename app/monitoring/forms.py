"""The yearly progress report form: status, narrative and KPI actuals against the plan."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.core.fields import LongTextField, NumberField
from app.core.numbers import QUANTITY, YEAR, NumberError, db_id
from app.monitoring.service import FIRST_YEAR, LAST_YEAR, STATUSES


class ActualRow(Form):
    """One KPI's planned and actual value (both optional; an empty row is skipped)."""

    kpi_id = HiddenField()
    planned = NumberField("Planned value", validators=[Optional()], spec=QUANTITY, coerce=float)
    actual = NumberField("Actual value", validators=[Optional()], spec=QUANTITY, coerce=float)


class ProgressForm(FlaskForm):
    project_id = HiddenField()
    year = NumberField(
        "Year reported on",
        spec=YEAR,
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
    narrative = LongTextField(
        "What happened this year",
        validators=[DataRequired("Describe the progress of the year in a few sentences.")],
        max_length=5000,
    )
    actuals = FieldList(FormField(ActualRow))
    submit = SubmitField("File the progress report")

    def validate(self, extra_validators=None) -> bool:
        """Also refuse (never drop) a row whose hidden KPI id was tampered with."""
        valid = super().validate(extra_validators)
        for row in self.actuals:
            try:
                db_id(row.kpi_id.data)
            except NumberError:
                self.form_errors.append(
                    f"A row names no KPI ('{row.kpi_id.data}'): reload the form and enter "
                    "its values again."
                )
                valid = False
        return valid

    def actual_rows(self) -> list[tuple[int, float | None, float | None]]:
        """(KPI id, planned, actual) of every row; call after a successful validate()."""
        rows = []
        for row in self.actuals:
            try:
                rows.append((db_id(row.kpi_id.data), row.planned.data, row.actual.data))
            except NumberError:
                continue  # refused by validate_actuals; the GET set-up ignores it
        return rows
