"""The financing plan form: cash sources per year, three loans' terms, sizing options.

The yearly fields depend on the project's horizon, so the form class is built per
project (as the cash-flow table's). Percentages are typed in percent and kept as
decimals; a number out of its range is refused on its field with what to type.
"""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField

from app.core.fields import NumberField, WholeNumberField, choices
from app.core.numbers import MONEY, PERCENT
from app.financing.plan import SOURCE_LABELS
from appraisal.finance.debt import MAX_TENOR, PROFILES, RATE_LIMITS
from appraisal.finance.financing_plan import CASH_KINDS, LOAN_KINDS

__all__ = ["FinancingPlanForm", "financing_form", "cell_name"]

LOAN_TERMS = ("amount", "rate", "tenor", "grace", "profile", "upfront_fee", "city_carries")


def cell_name(year: int, kind: str) -> str:
    return f"y{year}_{kind}"


class FinancingPlanForm(FlaskForm):
    version = HiddenField()
    grants_from_funding_gap = BooleanField(
        "Size the EU and national grants from the funding gap (spread pro rata to capex)"
    )
    dsra_share = NumberField(
        "Debt service reserve (% of the first operating year's debt service; 50 = six months)",
        spec=PERCENT,
        high=200,
    )
    guarantees = NumberField("Guarantees (contingent, not cash)", spec=MONEY)
    city_budget = NumberField("The city's annual budget or revenue", spec=MONEY)
    affordability_threshold = NumberField(
        "Affordability threshold (% of the city's budget)", spec=PERCENT, low=0.1
    )
    submit = SubmitField("Save the financing plan")

    years: list[tuple[int, int]]

    def cell(self, year: int, kind: str):
        return self[cell_name(year, kind)]

    def loan(self, kind: str, term: str):
        return self[f"{kind}_{term}"]

    def terms(self) -> dict:
        """The plan's terms (see app.financing.plan); call after validate()."""

        def money(field) -> float:
            return float(field.data or 0)

        def pct(field, default=0.0) -> float:
            return default if field.data is None else float(field.data) / 100

        loans = {}
        for kind in LOAN_KINDS:
            if money(self.loan(kind, "amount")) > 0:
                loans[kind] = {
                    "amount": money(self.loan(kind, "amount")),
                    "rate": pct(self.loan(kind, "rate")),
                    "tenor": int(self.loan(kind, "tenor").data or 0),
                    "grace": int(self.loan(kind, "grace").data or 0),
                    "profile": self.loan(kind, "profile").data,
                    "upfront_fee": pct(self.loan(kind, "upfront_fee")),
                    "city_carries": bool(self.loan(kind, "city_carries").data),
                }
        shares = {
            kind: pct(self[f"share_{kind}"])
            for kind in CASH_KINDS
            if self[f"share_{kind}"].data not in (None, 0)
        }
        return {
            "sources": {
                kind: [money(self.cell(year, kind)) for year, _ in self.years]
                for kind in CASH_KINDS
            },
            "grants_from_funding_gap": bool(self.grants_from_funding_gap.data),
            "loans": loans,
            "residual_shares": shares,
            "dsra_share": pct(self.dsra_share),
            "guarantees": money(self.guarantees),
            "city_budget": None if not self.city_budget.data else float(self.city_budget.data),
            "affordability_threshold": pct(self.affordability_threshold, 0.10),
        }

    def problems(self) -> list[tuple[str, str]]:
        """(field id, message) of every wrong field, for the summary at the top; a message
        names its field (a cell of the table has no message beside it)."""
        return [
            (f.id, f"{f.label.text}: {e}")
            for f in self
            if f.type not in ("CSRFTokenField",)
            for e in f.errors
        ]


def _loan_fields(form_class, kind: str) -> None:
    label = SOURCE_LABELS[kind]
    low, high = (r * 100 for r in RATE_LIMITS)
    fields = {
        "amount": NumberField(f"{label}: amount", spec=MONEY),
        "rate": NumberField(f"{label}: interest rate (% a year)", spec=PERCENT, low=low, high=high),
        "tenor": WholeNumberField(f"{label}: tenor (years)", low=1, high=MAX_TENOR),
        "grace": WholeNumberField(f"{label}: grace period (years)", low=0, high=MAX_TENOR),
        "profile": SelectField(
            f"{label}: repayment", choices=choices((p, p) for p in PROFILES), default=PROFILES[0]
        ),
        "upfront_fee": NumberField(f"{label}: upfront fee (% of amount)", spec=PERCENT, high=20),
        "city_carries": BooleanField(f"{label}: the city is the borrower"),
    }
    for term, field in fields.items():
        setattr(form_class, f"{kind}_{term}", field)


def _shown(x) -> Decimal | None:
    """A stored float as a person typed it: 180000.0 -> 180000, 0.04 (as %) -> 4."""
    return None if x is None else Decimal(repr(float(x)))


def _data(terms: dict, years: list[tuple[int, int]]) -> dict:
    def pct(x):
        return None if x is None else _shown(round(x * 100, 10))

    data = {
        "grants_from_funding_gap": terms.get("grants_from_funding_gap", False),
        "dsra_share": pct(terms.get("dsra_share")),
        "guarantees": _shown(terms.get("guarantees") or None),
        "city_budget": _shown(terms.get("city_budget")),
        "affordability_threshold": pct(terms.get("affordability_threshold")),
    }
    for kind, values in terms.get("sources", {}).items():
        for year, _ in years:
            if year < len(values) and values[year]:
                data[cell_name(year, kind)] = _shown(values[year])
    for kind, share in terms.get("residual_shares", {}).items():
        data[f"share_{kind}"] = pct(share)
    for kind, loan in terms.get("loans", {}).items():
        for term in LOAN_TERMS:
            value = loan[term]
            if term in ("rate", "upfront_fee"):
                value = pct(value)
            elif term == "amount":
                value = _shown(value)
            data[f"{kind}_{term}"] = value
    return data


def financing_form(
    terms: dict, years: list[tuple[int, int]], *, version: int, currency: str, formdata=None
) -> FinancingPlanForm:
    """A form for a project of ``years`` (offset, calendar year), filled from ``terms``
    or from ``formdata`` on a POST."""

    class Form(FinancingPlanForm):
        pass

    for year, calendar in years:
        for kind in CASH_KINDS:
            label = f"{SOURCE_LABELS[kind]}, {calendar} ({currency})"
            setattr(Form, cell_name(year, kind), NumberField(label, spec=MONEY))
    for kind in LOAN_KINDS:
        _loan_fields(Form, kind)
    for kind in CASH_KINDS:
        setattr(
            Form,
            f"share_{kind}",
            NumberField(f"{SOURCE_LABELS[kind]}: share of the remainder (%)", spec=PERCENT),
        )
    data = _data(terms, years) | {"version": version}
    form = Form(formdata=formdata, data=data) if formdata is not None else Form(data=data)
    form.years = years
    return form
