"""The form that copies or edits a parameter set, and the one that picks a city's set.

Rates are typed as percentages (3.5 means 3.5 %) and factors as ratios (0.8); the carbon
path as ``year: price`` pairs separated by ``;`` or new lines. :meth:`SetForm.edit` turns
them into the decimals and tuples the service takes; the service refuses values outside
sense and changes without a source, and the view puts its messages on the fields.
"""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from app.core.fields import LongTextField, NumberField, TextField, WholeNumberField
from app.core.numbers import YEAR, NumberError, NumberSpec, read_number
from app.parameter_sets.registry import SetChoice
from app.parameter_sets.service import CarbonEdit, SetEdit
from appraisal.analysis.parameters import EDITABLE_VALUES, ParameterSet

#: field -> (label, is a rate typed in %)
VALUE_LABELS = {
    "financial_discount_rate": ("Financial discount rate (%, real)", True),
    "social_discount_rate": ("Social discount rate (%, real)", True),
    "standard_conversion_factor": ("Standard conversion factor (shadow / market price)", False),
    "shadow_wage_factor": ("Shadow wage factor (shadow / market wage)", False),
    "cofinancing_rate": ("EU co-financing rate (% of the decision amount)", True),
}
# Wide enough to read anything typed; the sense limits are the service's to apply.
_ANY = NumberSpec(Decimal("-1000"), Decimal("1000"), example="3.5")
_PRICE = NumberSpec(0, Decimal("1e7"), example="250")


def _points(text: str) -> tuple[tuple[int, float], ...]:
    points = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        year_text, colon, price_text = part.partition(":")
        if not colon:
            raise ValidationError(
                f"'{part.strip()}' is not 'year: price'; write e.g. 2030: 250; 2050: 800."
            )
        try:
            year = read_number(year_text, YEAR)
            price = read_number(price_text, _PRICE)
        except NumberError as error:
            raise ValidationError(f"In '{part.strip()}': {error}") from None
        if year is None or price is None:
            raise ValidationError(f"'{part.strip()}' lacks its year or its price.")
        points.append((int(year), float(price)))
    if not points:
        raise ValidationError("Give at least one 'year: price' point, e.g. 2030: 250.")
    return tuple(points)


class SetForm(FlaskForm):
    name = TextField("Name of the copy", max_length=60)
    carbon_points = LongTextField(
        "Carbon price path (year: price per tonne CO2e)",
        max_length=2000,
        description="e.g. 2020: 80; 2030: 250; 2050: 800. Linear in between, flat outside.",
    )
    carbon_currency = TextField(
        "Carbon price currency",
        max_length=3,
        validators=[InputRequired("Give the currency of the carbon prices, e.g. EUR.")],
    )
    carbon_base_year = WholeNumberField(
        "Carbon price base year (constant prices of)",
        spec=YEAR,
        validators=[InputRequired("Give the year whose prices the path is in, e.g. 2016.")],
    )
    carbon_source = TextField("Source of the carbon price path", max_length=1000)
    note = LongTextField("What changed and why (kept with the version)", max_length=2000)
    version = HiddenField()
    submit = SubmitField("Save as a new version")

    def fill(self, params: ParameterSet) -> None:
        """Show ``params``'s values (on a page opened without data)."""
        for key, (_, is_rate) in VALUE_LABELS.items():
            value = Decimal(str(getattr(params, key)))
            getattr(self, key).data = value * 100 if is_rate else value
        path = params.carbon_price
        self.carbon_points.data = "; ".join(f"{y}: {p:g}" for y, p in path.points)
        self.carbon_currency.data = path.currency
        self.carbon_base_year.data = path.price_base_year

    def validate_carbon_points(self, field) -> None:
        _points(field.data or "")

    def value_rows(self):
        """(value field, its source field) per editable value, in order."""
        return [(getattr(self, k), getattr(self, f"{k}_source")) for k in EDITABLE_VALUES]

    def edit(self) -> SetEdit:
        values = {}
        for key, (_, is_rate) in VALUE_LABELS.items():
            data = getattr(self, key).data
            if data is not None:
                values[key] = float(Decimal(str(data)) / 100) if is_rate else float(data)
        return SetEdit(
            values=values,
            sources={k: getattr(self, f"{k}_source").data or "" for k in EDITABLE_VALUES},
            carbon=CarbonEdit(
                points=_points(self.carbon_points.data or ""),
                currency=(self.carbon_currency.data or "").strip().upper(),
                price_base_year=int(self.carbon_base_year.data),
            ),
            carbon_source=self.carbon_source.data or "",
            note=self.note.data or "",
        )

    def put_errors(self, fields: dict[str, str]) -> None:
        """Show the service's messages on their fields (``carbon_price`` on the path)."""
        for key, message in fields.items():
            target = "carbon_points" if key == "carbon_price" else key
            getattr(self, target).errors = [*getattr(self, target).errors, message]


for _key, (_label, _is_rate) in VALUE_LABELS.items():
    setattr(
        SetForm,
        _key,
        NumberField(
            _label,
            validators=[InputRequired(f"Give the {_label.split(' (')[0].lower()}.")],
            spec=_ANY,
        ),
    )
    setattr(
        SetForm,
        f"{_key}_source",
        TextField(
            f"Source of the {_label.split(' (')[0].lower()}",
            max_length=1000,
            description="Required when the value changes: title, publisher, year, page, address.",
        ),
    )


class CitySetForm(FlaskForm):
    parameter_set = SelectField("Default parameter set of this city")
    submit = SubmitField("Save the city's default set")

    def offer(self, choices: list[SetChoice], country_set: str | None) -> None:
        follow = f"Follow the country ({country_set or 'World Bank'})"
        names = sorted({c.name for c in choices})
        self.parameter_set.choices = [("", follow)] + [(n, n) for n in names]
