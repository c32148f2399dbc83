"""The form of an expert of the pool."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField

from app.core.fields import CheckboxesField, LongTextField, Required, TextField, WholeNumberField
from app.core.numbers import NumberSpec

DAYS = NumberSpec(0, 366, whole=True, unit="days", example="40")


class ExpertForm(FlaskForm):
    name = TextField("Name", max_length=120, validators=[Required("Give the expert's name.")])
    organisation = TextField("Organisation", max_length=200)
    sectors = CheckboxesField("Sectors", choices=[], validate_choice=False)
    dimensions = CheckboxesField("KPI dimensions", choices=[], validate_choice=False)
    countries = TextField("Countries (ISO two-letter codes, e.g. NO; DK)", max_length=400)
    languages = TextField("Languages (ISO 639-1 codes, e.g. no; en)", max_length=200)
    days_per_year = WholeNumberField(
        "Days a year for the programme", spec=DAYS, validators=[Required("Give the days a year.")]
    )
    days_per_engagement = WholeNumberField(
        "Days one engagement takes",
        spec=DAYS,
        low=1,
        validators=[Required("Give the days one engagement takes.")],
    )
    past_engagements = LongTextField("Past engagements", max_length=5000)
    submit = SubmitField("Save the expert")
