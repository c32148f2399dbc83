"""Forms of engagements: filing a request and editing the current stage."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, SubmitField
from wtforms.validators import Optional

from app.core.fields import CheckboxesField, LongTextField, Required, TextField, choices
from app.models import Requester

REQUESTER_LABELS = {
    Requester.CITY: "The city (its administration or mayor)",
    Requester.NATIONAL_GOVERNMENT: "The national government",
}


class IsoDateField(DateField):
    """A date typed as YYYY-MM-DD, refused with a message that says how to write it."""

    def process_formdata(self, valuelist):
        if not "".join(valuelist).strip():
            self.data = None  # blank: Required or Optional decides
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Write the date as YYYY-MM-DD, e.g. 2027-03-01.") from None


class EngagementForm(FlaskForm):
    city_id = SelectField("City", coerce=str, validate_choice=False)
    requester = SelectField(
        "Who made the request",
        choices=choices((r.value, text) for r, text in REQUESTER_LABELS.items()),
        validators=[Required("Choose who made the request.")],
    )
    requester_name = TextField(
        "Requesting office",
        max_length=200,
        validators=[Required("Name the office that made the request.")],
    )
    requested_on = IsoDateField(
        "Date of the request (YYYY-MM-DD)",
        validators=[Required("Give the date of the request as YYYY-MM-DD.")],
    )
    notes = LongTextField("Notes", max_length=5000)
    creation_key = HiddenField()
    submit = SubmitField("File the request")


class StepForm(FlaskForm):
    owner = TextField("Owner of this stage", max_length=200)
    due_on = IsoDateField("Due date (YYYY-MM-DD)", validators=[Optional()])
    documents = LongTextField("Documents (links or notes, one a line)", max_length=5000)
    ticked = CheckboxesField("Checklist", choices=[], validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Save the stage")


class MoveForm(FlaskForm):
    version = HiddenField()


class ConfirmTeamForm(FlaskForm):
    expert_ids = CheckboxesField("Experts to confirm", coerce=int, validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Confirm the ticked experts")


class MissionForm(FlaskForm):
    starts_on = IsoDateField(
        "First day (YYYY-MM-DD)", validators=[Required("Give the first day as YYYY-MM-DD.")]
    )
    ends_on = IsoDateField(
        "Last day (YYYY-MM-DD)", validators=[Required("Give the last day as YYYY-MM-DD.")]
    )
    participants = LongTextField(
        "Participants (one a line: name, organisation)",
        max_length=5000,
        validators=[Required("Name who took part, one a line (name, organisation).")],
    )
    creation_key = HiddenField()
    submit = SubmitField("Record the mission")


class FindingsForm(FlaskForm):
    economy = LongTextField("Economy", max_length=5000)
    environment = LongTextField("Environment", max_length=5000)
    society = LongTextField("Society and Culture", max_length=5000)
    change_ids = CheckboxesField("KPI values it produced", coerce=int, validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Save the findings")

    #: form field -> KPI dimension
    DIMENSIONS = {
        "economy": "Economy",
        "environment": "Environment",
        "society": "Society and Culture",
    }


class MemberForm(FlaskForm):
    name = TextField("Name", max_length=120, validators=[Required("Give the member's name.")])
    organisation = TextField(
        "Organisation",
        max_length=200,
        validators=[Required("Give the organisation the member speaks for.")],
    )
    group = SelectField(
        "Stakeholder group",
        choices=[],
        validate_choice=False,
        validators=[Required("Choose the member's stakeholder group.")],
    )
    submit = SubmitField("Add the member")


class CaseForm(FlaskForm):
    title = TextField("Title", max_length=200, validators=[Required("Give the case a title.")])
    city_name = TextField(
        "City", max_length=120, validators=[Required("Name the city where it was done.")]
    )
    template_id = SelectField("Catalogue solution", choices=[], validate_choice=False)
    kpi_codes = TextField("KPIs it moved (U4SSC codes, separated by semicolons)", max_length=1000)
    what_was_done = LongTextField("What was done", validators=[Required("Say what was done.")])
    results = LongTextField(
        "Results (figures with their units)",
        validators=[Required("Give the results with their figures and units.")],
    )
    sources = LongTextField(
        "Sources of the figures",
        validators=[Required("Say where the figures come from (a report, a page address).")],
    )
    lessons = LongTextField("Lessons", validators=[Required("Say what others can learn from it.")])
    submit = SubmitField("Record the case")
