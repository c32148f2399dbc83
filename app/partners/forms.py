"""Forms of the partners' opportunity pages: filters (GET) and expressions of interest."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.core.fields import LongTextField, NumberField
from app.core.numbers import ID, db_id
from app.partners.opportunities import MESSAGE_MAX, MESSAGE_MIN, SORTS, Filters


def _int_or_none(value):
    """A chosen id, None for "any"; ValueError (an invalid choice) for anything else."""
    return db_id(value) if value not in (None, "") else None


class FilterForm(FlaskForm):
    """Filters of /opportunities, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    partner = NumberField("Partner (staff preview)", validators=[Optional()], spec=ID)
    sector = SelectField("Sector", coerce=_int_or_none)
    country = SelectField("Country", default="")
    income_group = SelectField("World Bank income group", default="")
    capex_min = NumberField(
        "Ticket size from (capex, EUR m)",
        validators=[Optional(), NumberRange(min=0, message="Give an amount of 0 or more.")],
    )
    capex_max = NumberField(
        "Ticket size to (capex, EUR m)",
        validators=[Optional(), NumberRange(min=0, message="Give an amount of 0 or more.")],
    )
    sdg = SelectField("SDG goal", coerce=_int_or_none)
    delivery_model = SelectField("Delivery model", default="")
    sort = SelectField(
        "Sort", choices=[SelectChoice(k, v) for k, v in SORTS.items()], default="fit"
    )

    def set_choices(self, choices: dict) -> None:
        self.sector.choices = [("", "Any sector")] + [(i, n) for i, n in choices["sectors"]]
        self.country.choices = [("", "Any country")] + [(c, n) for c, n in choices["countries"]]
        self.income_group.choices = [("", "Any income group")] + [
            (g, g) for g in choices["income_groups"]
        ]
        self.sdg.choices = [("", "Any SDG")] + [(n, f"SDG {n}: {t}") for n, t in choices["sdgs"]]
        self.delivery_model.choices = [("", "Any delivery model")] + choices["delivery_models"]

    def validate_capex_max(self, field) -> None:
        low = self.capex_min.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError("The upper bound is below the lower bound; swap them.")

    def filters(self) -> Filters:
        """The filters the form holds (an invalid field filters nothing)."""
        return Filters(
            sector_id=self.sector.data or None,
            country=self.country.data or None,
            income_group=self.income_group.data or None,
            capex_min_m=None if self.capex_min.data is None else float(self.capex_min.data),
            capex_max_m=None if self.capex_max.data is None else float(self.capex_max.data),
            sdg=self.sdg.data or None,
            delivery_model=self.delivery_model.data or None,
            sort=self.sort.data or "fit",
        )


class InterestForm(FlaskForm):
    message = LongTextField(
        max_length=MESSAGE_MAX,
        label="Your message to the programme team",
        validators=[
            DataRequired("Write a message: say what you would bring to this project."),
            Length(
                MESSAGE_MIN,
                MESSAGE_MAX,
                f"Write {MESSAGE_MIN} to {MESSAGE_MAX:,} characters.",
            ),
        ],
    )
