"""Forms of partner profiles: registration, editing, review by staff."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    SelectField,
    SubmitField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.core.fields import (
    CheckboxesField,
    LongTextField,
    NumberField,
    TextField,
    WholeNumberField,
    choices,
)
from app.core.numbers import COUNT, MONEY
from app.models import DeliveryModel, PartnerKind, RiskAppetite
from app.partner_profiles.taxonomy import INSTRUMENT_LABELS

KIND_LABELS = {
    PartnerKind.TECHNOLOGY_COMPANY: "Technology company",
    PartnerKind.INTERNATIONAL_INVESTOR: "Investor (fund, pension fund, development finance)",
    PartnerKind.FINANCIAL_INSTITUTION: "Bank or financial institution",
    PartnerKind.LOCAL_COMPANY: "Local company (construction, services, operations)",
}
DELIVERY_LABELS = {
    DeliveryModel.PUBLIC: "Public procurement (design, build)",
    DeliveryModel.PPP_AVAILABILITY: "PPP with availability payments",
    DeliveryModel.PPP_CONCESSION: "PPP concession (user charges)",
}


class PartnerProfileForm(FlaskForm):
    """What a partner says about itself (registration and editing share it)."""

    name = TextField(
        "Organisation name",
        validators=[DataRequired("Give the organisation's name.")],
        max_length=200,
    )
    kind = SelectField(
        "Kind of partner",
        choices=choices([("", "Choose one")] + [(k.value, v) for k, v in KIND_LABELS.items()]),
        validators=[DataRequired("Choose the kind of partner you are.")],
    )
    country = SelectField("Home country", validators=[Optional()])
    countries = TextField(
        "Countries where you work (ISO codes, comma-separated, e.g. NO, SE, TN)", max_length=2000
    )
    sectors = CheckboxesField("Sectors", validators=[DataRequired("Tick at least one sector.")])
    capabilities = CheckboxesField("Capabilities (from the programme's list)")
    capabilities_other = LongTextField("Other capabilities, in your own words", max_length=2000)
    delivery_models = CheckboxesField(
        "Delivery models you take part in",
        choices=choices((k.value, v) for k, v in DELIVERY_LABELS.items()),
    )
    instruments = CheckboxesField(
        "Financing instruments you offer (investors and banks)",
        choices=choices((k.value, v) for k, v in INSTRUMENT_LABELS.items()),
    )
    ticket_min = NumberField("Smallest ticket (amount per project)", spec=MONEY, coerce=float)
    ticket_max = NumberField("Largest ticket (amount per project)", spec=MONEY, coerce=float)
    ticket_currency = TextField(
        "Currency of the tickets (ISO code, e.g. EUR)",
        validators=[DataRequired("Give the currency of your ticket sizes, e.g. EUR.")],
        max_length=3,
        default="EUR",
    )
    risk_appetite = SelectField(
        "Highest project risk you take",
        choices=choices([("", "Not stated")] + [(r.value, r.value) for r in RiskAppetite]),
        validators=[Optional()],
    )
    capacity = WholeNumberField(
        "Projects you can take on at once",
        spec=COUNT,
        validators=[InputRequired("Say how many projects you can take on at once."),
                    NumberRange(1, 500, "Give a number from 1 to 500.")],
        default=3,
    )  # fmt: skip
    track_record_projects = WholeNumberField("Comparable projects completed", spec=COUNT)
    description = LongTextField("Who you are and what you do", max_length=5000)
    website = TextField(
        "Web site (optional)",
        max_length=300,
        validators=[Optional(), URL(message="Enter a full address starting with https://.")],
    )
    version = HiddenField()
    submit = SubmitField("Save the profile")


class RegistrationForm(PartnerProfileForm):
    contact_name = TextField("Your name", max_length=120)
    email = TextField(
        "Your e-mail (to sign in)",
        validators=[DataRequired("Give the e-mail you will sign in with.")],
        max_length=254,
    )
    password = PasswordField(
        "Password (at least 10 characters)",
        validators=[DataRequired("Choose a password."), Length(max=200)],
    )
    password_again = PasswordField(
        "Password again",
        validators=[EqualTo("password", "The two passwords differ: type the same one twice.")],
    )
    submit = SubmitField("Register")


class ReviewForm(FlaskForm):
    decision = SelectField(
        "Decision",
        choices=choices([("approved", "Approve"), ("refused", "Refuse")]),
        validators=[DataRequired("Choose approve or refuse.")],
    )
    reason = LongTextField("Reason (required to refuse; shown to the partner)", max_length=2000)
    submit = SubmitField("Record the decision")
