"""The form that runs an appraisal: parameter set, rate overrides, Monte Carlo.

Rates and ranges are entered as percentages (4 means 4 %); :meth:`AppraisalForm.options`
turns them into the decimals the service takes.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from app.appraisals.choices.form import MethodFields
from app.appraisals.inputs import DEFAULT_UNCERTAINTY, DISTRIBUTIONS
from app.appraisals.service import DRAW_CHOICES
from app.core.fields import NumberField, WholeNumberField
from app.parameter_sets.registry import SetChoice, set_choices

VARIABLE_LABELS = {
    "capex": "Investment cost (capex and replacements)",
    "opex": "Operating cost",
    "revenue": "Revenue",
    "benefits": "Economic benefits (benefits, externalities, CO2)",
}
DISTRIBUTION_LABELS = {
    "triangular": "Triangular",
    "pert": "PERT",
    "normal": "Normal (range = 90 % interval)",
    "uniform": "Uniform",
}


class AppraisalForm(FlaskForm, MethodFields):
    parameter_set = SelectField("Parameter set", validators=[InputRequired()])
    financial_rate_pct = NumberField(
        "Financial discount rate override (%)",
        validators=[
            Optional(),
            NumberRange(-5, 30, "Give a rate between -5 and 30 %%, or leave it empty."),
        ],
        description="Leave empty to use the parameter set's rate.",
    )
    social_rate_pct = NumberField(
        "Social discount rate override (%)",
        validators=[
            Optional(),
            NumberRange(-5, 30, "Give a rate between -5 and 30 %%, or leave it empty."),
        ],
        description="Leave empty to use the parameter set's rate.",
    )
    draws = SelectField(
        "Monte Carlo draws",
        choices=[SelectChoice(str(d), "none" if d == 0 else f"{d:,}") for d in DRAW_CHOICES],
        default="0",
    )
    seed = WholeNumberField(
        "Random seed (optional)",
        validators=[Optional(), NumberRange(1, 2**31 - 1, "Give a whole number >= 1.")],
        description="Leave empty for a new seed; it is kept with the run.",
    )
    submit = SubmitField("Run appraisal")

    def __init__(self, *args, sets: list[SetChoice], default: str, assumptions=None, **kwargs):
        """``sets`` are offered; the newest version of the set named ``default`` (the
        project's city's set) is preselected; the method fields start from the
        project's ``assumptions``."""
        super().__init__(*args, **kwargs)
        self._assumptions = assumptions or {}
        if ("formdata" in kwargs and kwargs["formdata"] is None) or not self.is_submitted():
            self.prefill(assumptions or {})
        self.parameter_set.choices = [(s.value, s.label) for s in sets]
        if not self.parameter_set.data:
            named = [s for s in sets if s.name == default] or sets[:1]
            self.parameter_set.data = named[-1].value

    def options(self) -> dict:
        """Keyword arguments of the appraisal service, in decimals."""
        name, _, version = self.parameter_set.data.partition("|")
        overrides = {}
        if self.financial_rate_pct.data is not None:
            overrides["financial_discount_rate"] = float(self.financial_rate_pct.data) / 100
        if self.social_rate_pct.data is not None:
            overrides["social_discount_rate"] = float(self.social_rate_pct.data) / 100
        uncertainty = {
            variable: {
                "low_pct": float(getattr(self, f"{variable}_low").data),
                "high_pct": float(getattr(self, f"{variable}_high").data),
                "distribution": getattr(self, f"{variable}_distribution").data,
            }
            for variable in VARIABLE_LABELS
        }
        return {
            "parameter_set": name,
            "version": version or None,
            "overrides": overrides,
            "draws": int(self.draws.data),
            "uncertainty": uncertainty,
            "seed": self.seed.data,
            "methods": self.method_choices(),
        }

    def uncertainty_rows(self):
        """(label, low field, high field, distribution field) per uncertain variable."""
        return [
            (
                label,
                getattr(self, f"{v}_low"),
                getattr(self, f"{v}_high"),
                getattr(self, f"{v}_distribution"),
            )
            for v, label in VARIABLE_LABELS.items()
        ]


def _required_when_sent(message: str):
    """A missing field keeps its default (short forms); a field sent empty is an error."""

    def check(form, field):
        if field.raw_data and not str(field.raw_data[0]).strip():
            raise StopValidation(message)

    return check


def _range_not_empty(variable: str):
    def check(form, field):
        low = getattr(form, f"{variable}_low").data
        if low is not None and field.data is not None and field.data <= low:
            raise ValidationError("The high end must be above the low end.")

    return check


# One low/high/distribution triple per variable; generated so the four stay alike.
for _variable, _label in VARIABLE_LABELS.items():
    _default = DEFAULT_UNCERTAINTY[_variable]
    setattr(
        AppraisalForm,
        f"{_variable}_low",
        NumberField(
            f"{_label}: low (% from base)",
            default=_default["low_pct"],
            validators=[
                _required_when_sent("Give the low end in %, e.g. -10."),
                NumberRange(-95, 0, "Give a value between -95 and 0 %%."),
            ],
        ),
    )
    setattr(
        AppraisalForm,
        f"{_variable}_high",
        NumberField(
            f"{_label}: high (% from base)",
            default=_default["high_pct"],
            validators=[
                _required_when_sent("Give the high end in %, e.g. 20."),
                NumberRange(0, 500, "Give a value between 0 and 500 %%."),
                _range_not_empty(_variable),
            ],
        ),
    )
    setattr(
        AppraisalForm,
        f"{_variable}_distribution",
        SelectField(
            f"{_label}: distribution",
            choices=[SelectChoice(d, DISTRIBUTION_LABELS[d]) for d in DISTRIBUTIONS],
            default=_default["distribution"],
        ),
    )


class AppraiseAllForm(FlaskForm):
    """Re-appraise every project of the pipeline, each under its city's default set or
    all under one parameter set (staff)."""

    parameter_set = SelectField("Parameter set", default="")
    submit = SubmitField("Re-appraise the whole pipeline")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parameter_set.choices = [SelectChoice("", "Each city's default set")] + [
            SelectChoice(s.value, s.label) for s in set_choices()
        ]

    def chosen(self) -> tuple[str | None, str | None]:
        """The parameter set's name and version; (None, None) for each city's default."""
        name, _, version = (self.parameter_set.data or "").partition("|")
        return (name or None), (version or None)
