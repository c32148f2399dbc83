"""The run form's method fields: each method of :mod:`app.appraisals.methods` and
:mod:`app.appraisals.choices.taxes` chosen for one run.

A field left empty (or a choice left on "as the project's assumptions say") keeps the
project's assumption; a field given overrides it for this run. The form shows the
project's assumptions as its starting values. Percentages are entered as percent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from wtforms import SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from app.core.fields import NumberField, WholeNumberField
from appraisal.analysis.residual import flat_rate_sectors
from appraisal.finance.risk_register import optimism_bias_types

__all__ = ["METHOD_FIELDS", "MethodFields"]

KEEP = ""  # a choice that keeps the project's assumption
_AS_PROJECT = SelectChoice(KEEP, "As the project's assumptions say")
_YES_NO = [_AS_PROJECT, SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def _pct(label: str, low: float, high: float, description: str = "") -> NumberField:
    message = f"Give a value between {low:g} and {high:g} %%."
    return NumberField(
        label,
        validators=[Optional(), NumberRange(low, high, message)],
        description=description or "Empty: the project's assumption.",
    )


def _days(label: str) -> NumberField:
    return NumberField(
        label,
        validators=[Optional(), NumberRange(0, 365, "Give days between 0 and 365.")],
        description="Empty: the project's assumption.",
    )


class MethodFields:
    """Fields mixed into the appraisal form (a FlaskForm)."""

    residual_method = SelectField(
        "Residual value",
        choices=[
            _AS_PROJECT,
            SelectChoice("lines", "The residual value lines (undepreciated value)"),
            SelectChoice("net_flows", "PV of the net flows after the period (EU CBA Guide 2.8.2)"),
        ],
        default=KEEP,
    )
    remaining_life = WholeNumberField(
        "Remaining economic life after the period (years)",
        validators=[Optional(), NumberRange(1, 100, "Give whole years between 1 and 100.")],
        description="For the PV of net flows.",
    )
    flat_rate_sector = SelectField(
        "Flat-rate net revenue (Annex V)",
        choices=[_AS_PROJECT, SelectChoice("none", "None")]
        + [SelectChoice(s, s.replace("_", " ")) for s in flat_rate_sectors()],
        default=KEEP,
    )
    inflation_pct = _pct("General inflation (%)", -5, 50, "Nominal projects only; Fisher rate.")
    capex_inflation_pct = _pct("Capex inflation (%)", -5, 50)
    opex_inflation_pct = _pct("Opex inflation (%)", -5, 50)
    revenue_inflation_pct = _pct("Revenue inflation (%)", -5, 50)
    benefits_inflation_pct = _pct("Benefits inflation (%)", -5, 50)
    carbon_variants = SelectField("Low and high carbon price paths", choices=_YES_NO, default=KEEP)
    scenarios = SelectField(
        "Scenarios",
        choices=[
            _AS_PROJECT,
            SelectChoice("illustrative", "The illustrative pessimistic and optimistic cases"),
            SelectChoice("no", "None"),
        ],
        default=KEEP,
    )
    skilled_share_pct = _pct("Skilled labour, share of opex (%)", 0, 100)
    unskilled_share_pct = _pct("Unskilled labour, share of opex (%)", 0, 100)
    skilled_factor = NumberField(
        "Conversion factor, skilled labour",
        validators=[Optional(), NumberRange(0, 2, "Give a factor between 0 and 2.")],
        description="Empty: 1.00 (the EU CBA Guide's incinerator case) or the project's.",
    )
    unskilled_factor = NumberField(
        "Conversion factor, unskilled labour",
        validators=[Optional(), NumberRange(0, 2, "Give a factor between 0 and 2.")],
        description="Empty: 0.60 (the EU CBA Guide's incinerator case) or the project's.",
    )
    economic_vat_pct = _pct("VAT removed in the economic analysis (%)", 0, 100)
    subsidy_share_pct = _pct("Subsidy share of revenue, removed (%)", 0, 100)
    optimism_bias_type = SelectField(
        "Optimism bias, project type (PPP)",
        choices=[_AS_PROJECT, SelectChoice("none", "None")]
        + [SelectChoice(t, t.replace("_", " ")) for t in optimism_bias_types()],
        default=KEEP,
    )
    optimism_bias_bound = SelectField(
        "Optimism bias, bound",
        choices=[SelectChoice("upper", "Upper"), SelectChoice("lower", "Lower")],
        default="upper",
    )
    vat_rate_pct = _pct("VAT rate in the financial analysis (%)", 0, 100)
    vat_recoverable = SelectField("VAT recoverable by the operator", choices=_YES_NO, default=KEEP)
    lines_include_vat = SelectField("Lines entered including VAT", choices=_YES_NO, default=KEEP)
    profit_tax_rate_pct = _pct("Profit tax rate (%)", 0, 100)
    tax_life = WholeNumberField(
        "Tax depreciation life (years)",
        validators=[Optional(), NumberRange(1, 100, "Give whole years between 1 and 100.")],
        description="Empty: the project's assumption, else 20.",
    )
    receivable_days = _days("Receivables (days of revenue)")
    stock_days = _days("Stock (days of opex)")
    payable_days = _days("Payables (days of opex)")

    _assumptions: Mapping = {}

    def validate_residual_method(self, field) -> None:
        known = (self._assumptions.get("residual") or {}).get("remaining_life")
        if field.data == "net_flows" and self.remaining_life.data is None and not known:
            raise ValidationError("Give the remaining life for the PV of net flows.")

    def validate_unskilled_share_pct(self, field) -> None:
        skilled = self.skilled_share_pct.data or 0
        if field.data is not None and float(field.data) + float(skilled) > 100:
            raise ValidationError("Skilled and unskilled shares add up to more than 100 %.")

    def prefill(self, assumptions: Mapping) -> None:
        """Show the project's assumptions as the starting values (a form not posted)."""
        a = assumptions or {}
        residual = a.get("residual") or {}
        if residual.get("method"):
            self.residual_method.data = residual["method"]
            self.remaining_life.data = residual.get("remaining_life")
        self.flat_rate_sector.data = a.get("flat_rate_sector") or KEEP
        inflation = a.get("inflation") or {}
        for group, name in (("general", "inflation_pct"), *_GROUPS):
            if inflation.get(group) is not None:
                getattr(self, name).data = inflation[group] * 100
        economic = a.get("economic") or {}
        for key, name in _ECONOMIC_PCT:
            if economic.get(key) is not None:
                getattr(self, name).data = economic[key] * 100
        factors = economic.get("labour_factors") or {}
        self.skilled_factor.data = factors.get("skilled")
        self.unskilled_factor.data = factors.get("unskilled")
        bias = (a.get("ppp") or {}).get("optimism_bias") or {}
        if bias.get("project_type"):
            self.optimism_bias_type.data = bias["project_type"]
            self.optimism_bias_bound.data = bias.get("bound", "upper")
        taxes = a.get("taxes") or {}
        for key, name in _TAX_PCT:
            if taxes.get(key) is not None:
                getattr(self, name).data = taxes[key] * 100
        for key in ("tax_life", *_DAYS):
            if taxes.get(key) is not None:
                getattr(self, key).data = taxes[key]

    def method_choices(self) -> dict:
        """The assumptions this run sets, in the shape of ``project.assumptions``."""
        out: dict = {}
        if self.residual_method.data == "net_flows":
            out["residual"] = {"method": "net_flows"}
            if self.remaining_life.data is not None:
                out["residual"]["remaining_life"] = int(self.remaining_life.data)
        elif self.residual_method.data == "lines":
            out["residual"] = {"method": "lines"}
        if self.flat_rate_sector.data:
            out["flat_rate_sector"] = None if self.flat_rate_sector.data == "none" else (
                self.flat_rate_sector.data)  # fmt: skip
        inflation = {
            group: float(getattr(self, name).data) / 100
            for group, name in (("general", "inflation_pct"), *_GROUPS)
            if getattr(self, name).data is not None
        }
        if inflation:
            out["inflation"] = inflation
        if self.carbon_variants.data:
            out["carbon_variants"] = self.carbon_variants.data == "yes"
        if self.scenarios.data:
            out["scenarios"] = self.scenarios.data == "illustrative" or None
        economic = {
            key: float(getattr(self, name).data) / 100
            for key, name in _ECONOMIC_PCT
            if getattr(self, name).data is not None
        }
        factors = {
            category: float(getattr(self, f"{category}_factor").data)
            for category in ("skilled", "unskilled")
            if getattr(self, f"{category}_factor").data is not None
        }
        if factors:
            economic["labour_factors"] = factors
        if economic:
            out["economic"] = economic
        if self.optimism_bias_type.data:
            kind = self.optimism_bias_type.data
            out["ppp"] = {
                "optimism_bias": None
                if kind == "none"
                else {"project_type": kind, "bound": self.optimism_bias_bound.data}
            }
        taxes = {
            key: float(getattr(self, name).data) / 100
            for key, name in _TAX_PCT
            if getattr(self, name).data is not None
        }
        for flag in ("vat_recoverable", "lines_include_vat"):
            if getattr(self, flag).data:
                taxes[flag] = getattr(self, flag).data == "yes"
        for key in _DAYS:
            if getattr(self, key).data is not None:
                taxes[key] = float(getattr(self, key).data)
        if self.tax_life.data is not None:
            taxes["tax_life"] = int(self.tax_life.data)
        kept = self._assumptions.get("taxes") or {}
        taxes = {k: v for k, v in taxes.items() if not _same(kept.get(k), v)}  # the run's own
        if taxes:
            out["taxes"] = taxes
        return out


def _same(kept, posted) -> bool:
    """A term posted unchanged from the form: equal, or the same number but for the
    round-off of the percent shown and read back (0.07 shows as 7.000000000000001)."""
    if isinstance(kept, bool) or isinstance(posted, bool) or kept is None:
        return kept == posted
    if not isinstance(kept, int | float):
        return False
    return math.isclose(float(kept), float(posted), rel_tol=1e-9, abs_tol=1e-12)


_GROUPS = tuple((g, f"{g}_inflation_pct") for g in ("capex", "opex", "revenue", "benefits"))
_ECONOMIC_PCT = (
    ("skilled_share_of_opex", "skilled_share_pct"),
    ("unskilled_share_of_opex", "unskilled_share_pct"),
    ("vat_rate", "economic_vat_pct"),
    ("subsidy_share_of_revenue", "subsidy_share_pct"),
)
_TAX_PCT = (("vat_rate", "vat_rate_pct"), ("profit_tax_rate", "profit_tax_rate_pct"))
_DAYS = ("receivable_days", "stock_days", "payable_days")

#: Every method field's name (the API schema lists the same).
METHOD_FIELDS = tuple(
    name for name in vars(MethodFields) if not name.startswith("_") and name not in (
        "prefill", "method_choices")
)  # fmt: skip
