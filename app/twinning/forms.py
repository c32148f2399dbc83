"""The twinning page's cohort form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import NumberRange, Optional

from app.core.fields import TextField, WholeNumberField


class CohortForm(FlaskForm):
    """Which cities form the twinning cohort (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    region = SelectField("World Bank region", choices=[], validate_choice=False)
    q = TextField("City name contains", validators=[Optional()], max_length=100)
    capacity = WholeNumberField(
        "Mentees per mentor",
        default=2,
        validators=[Optional(), NumberRange(1, 10, "Give a whole number from 1 to 10.")],
    )
    k = WholeNumberField(
        "Suggestions per city",
        default=3,
        validators=[Optional(), NumberRange(1, 10, "Give a whole number from 1 to 10.")],
    )
