"""Forms of the cities feature: a city's own KPI target, and a city's facts (staff only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.cities.registry import CityInput
from app.core.fields import NumberField, TextField
from app.core.numbers import QUANTITY, YEAR, NumberSpec
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


LATITUDE = NumberSpec(-90, 90, unit="degrees", example="59.28")
LONGITUDE = NumberSpec(-180, 180, unit="degrees", example="5.30")
POPULATION = NumberSpec(0, 100_000_000, whole=True, unit="people", example="43990")


class CityForm(FlaskForm):
    """A city's facts: found in GeoNames (hidden id and time zone) or typed by hand."""

    name = TextField("Name", validators=[DataRequired("Give the city's name.")], max_length=120)
    country = SelectField("Country", validators=[DataRequired("Choose the country.")])
    admin1code = TextField("Administrative area code (GeoNames admin1, optional)", max_length=20)
    latitude = NumberField("Latitude (WGS84)", spec=LATITUDE, coerce=float)
    longitude = NumberField("Longitude (WGS84)", spec=LONGITUDE, coerce=float)
    population = NumberField("Population", spec=POPULATION)
    population_year = NumberField("Year of the population figure", spec=YEAR)
    population_source = TextField("Source of the population figure", max_length=300)
    currency = TextField("Currency of its budgets (ISO code; default: the country's)", max_length=3)
    geonameid = HiddenField()
    timezone = HiddenField()
    submit = SubmitField("Save the city")

    def to_input(self) -> CityInput:
        geonameid = (self.geonameid.data or "").strip()
        return CityInput(
            name=self.name.data,
            country_iso2=self.country.data,
            latitude=self.latitude.data,
            longitude=self.longitude.data,
            population=self.population.data,
            population_year=self.population_year.data,
            population_source=self.population_source.data or None,
            currency=self.currency.data or None,
            admin1code=self.admin1code.data or None,
            geonameid=int(geonameid) if geonameid.isdigit() and len(geonameid) < 10 else None,
            timezone=(self.timezone.data or "").strip()[:60] or None,
        )
