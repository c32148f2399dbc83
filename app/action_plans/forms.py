"""Forms of action plans, annual reviews and issuing the PROFILE."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import Optional

from app.action_plans.plan import STATUS_LABELS
from app.core.fields import LongTextField, NumberField, Required, TextField, choices
from app.core.numbers import YEAR
from app.engagements.forms import IsoDateField


class MilestoneForm(FlaskForm):
    project_id = SelectField("Project", choices=[], validate_choice=False)
    name = TextField("Milestone", max_length=200, validators=[Required("Name the milestone.")])
    due_on = IsoDateField(
        "Due date (YYYY-MM-DD)", validators=[Required("Give the due date as YYYY-MM-DD.")]
    )
    owner = TextField(
        "Owner", max_length=200, validators=[Required("Name who owns the milestone.")]
    )
    status = SelectField("Status", choices=choices((s.value, t) for s, t in STATUS_LABELS.items()))
    done_on = IsoDateField("Date done (YYYY-MM-DD, for a done milestone)", validators=[Optional()])
    version = HiddenField()
    submit = SubmitField("Save the milestone")


class AgreeForm(FlaskForm):
    agreed_on = IsoDateField(
        "Date the city agreed the plan (YYYY-MM-DD)",
        validators=[Required("Give the date the city agreed the plan as YYYY-MM-DD.")],
    )
    version = HiddenField()
    submit = SubmitField("Record the agreement")


class ActionForm(FlaskForm):
    """A button that needs only the CSRF token (build the plan, issue the PROFILE)."""


class ReviewForm(FlaskForm):
    year = NumberField(
        "Year reviewed", spec=YEAR, coerce=int, validators=[Required("Give the year reviewed.")]
    )
    baseline_year = NumberField(
        "Baseline year of the KPIs (blank: the year of the request, or the year before)",
        spec=YEAR,
        coerce=int,
    )
    findings = LongTextField("Findings", max_length=10000)
    submit = SubmitField("Save the review")
