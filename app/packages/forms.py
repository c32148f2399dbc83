"""Forms of the packages pages: compose, edit text and quantities, publish."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.core.fields import (
    CheckboxesField,
    LongTextField,
    NumberField,
    TextField,
    WholeNumberField,
)
from app.core.numbers import MONEY
from app.partners.forms import InterestForm


class ComposeForm(FlaskForm):
    level = WholeNumberField(
        "Level",
        validators=[InputRequired("Choose a level."), NumberRange(1, 50, "Choose a listed level.")],
    )


class PackageTextForm(FlaskForm):
    title = TextField(
        "Title", validators=[DataRequired("Give the package a title.")], max_length=200
    )
    description = LongTextField(
        "Description for partners and cities", validators=[Optional()], max_length=4000
    )


class QuantityForm(FlaskForm):
    quantity = WholeNumberField(
        "Quantity",
        validators=[
            InputRequired("Give a quantity."),
            NumberRange(1, 1_000_000_000, "Give a whole number of 1 or more."),
        ],
    )


class PublishForm(FlaskForm):
    """Publish or withdraw (the button's value says which)."""


class BudgetForm(FlaskForm):
    """The city's capex budget for its best part of the package (a GET form)."""

    class Meta:
        csrf = False

    budget = NumberField(
        "Your capex budget (EUR, 2024 prices)",
        validators=[Optional(), NumberRange(min=1, message="Give a budget above zero.")],
        spec=MONEY,
        coerce=float,
    )


class GroupingForm(FlaskForm):
    """Run the grouping again (a job)."""


def _members() -> CheckboxesField:
    return CheckboxesField(
        "Other members of your consortium", coerce=int, validate_choice=False, default=[]
    )


class ConsortiumForm(FlaskForm):
    """The other partners a partner picks for its consortium (a GET form)."""

    class Meta:
        csrf = False

    members = _members()


class PackageInterestForm(InterestForm):
    """Interest in a package, alone or as the consortium picked (hidden member ids)."""

    members = _members()
