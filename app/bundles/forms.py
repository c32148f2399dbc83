"""Forms of the bundle pages: a new bundle, its candidates and limits, plain actions.

Money is entered in the bundle's currency at its price base, in whole units; the ENPV
weight of a mixed objective is a percentage (50 means 50 %).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from app.bundles.inputs import OBJECTIVES
from app.core.concurrency import new_creation_key
from app.core.fields import NumberField, TextField, WholeNumberField
from app.projects.reporting import currency_choices

__all__ = ["NewBundleForm", "BundleEditForm", "ActionForm", "OBJECTIVE_CHOICES", "edit_data"]


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


OBJECTIVE_CHOICES = list(OBJECTIVES.items())
NOT_NEGATIVE = NumberRange(min=0, message="Give 0 or more: a budget cannot be negative.")


class NewBundleForm(FlaskForm):
    city_id = SelectField("City", coerce=int, validators=[InputRequired("Choose a city.")])
    name = TextField("Name", validators=[DataRequired("Give the bundle a name.")])
    objective = SelectField("Objective", choices=choices(OBJECTIVE_CHOICES), default="enpv")
    enpv_weight = NumberField(
        "Weight of ENPV in a mixed objective (%)",
        default=50,
        validators=[
            InputRequired("Give a weight between 0 and 100 %."),
            NumberRange(min=0, max=100, message="Give a weight between 0 and 100 %%."),
        ],
    )
    currency = SelectField(
        "Currency of budgets and values",
        choices=lambda: choices(currency_choices()),
        default="EUR",
        invalid_choice_message="Choose a currency of the list: those with prices and rates.",
    )
    price_base_year = WholeNumberField(
        "Price base year",
        default=2024,
        validators=[
            InputRequired("Give the price base year (e.g. 2024)."),
            NumberRange(
                min=1999,
                max=2100,
                message="Give a year from 1999 (the first of the price indices) to 2100; "
                "after 2024 the last inflation and rates are carried forward, as stated.",
            ),
        ],
    )
    creation_key = HiddenField(default=new_creation_key)
    submit = SubmitField("Create bundle")


class CandidateRow(Form):
    project_id = HiddenField()
    candidate = BooleanField("Candidate")
    must_include = BooleanField("Must include")
    must_exclude = BooleanField("Must exclude")
    group = TextField("Variant group", validators=[Optional()], max_length=40)

    def validate_must_exclude(self, field) -> None:
        if field.data and self.must_include.data:
            raise ValidationError("Forced both in and out: untick Must include or Must exclude.")

    def validate_must_include(self, field) -> None:
        if field.data and not self.candidate.data:
            raise ValidationError("Tick Candidate too: only a candidate can be forced in.")


class BudgetRow(Form):
    year = HiddenField()
    amount = NumberField("Capex budget", validators=[Optional(), NOT_NEGATIVE])


class SectorRuleRow(Form):
    sector_id = SelectField("Sector", choices=[], validate_choice=False)
    bound = SelectField("Rule", choices=choices([("min", "at least"), ("max", "at most")]))
    amount = NumberField("Amount", validators=[Optional(), NOT_NEGATIVE])
    unit = SelectField(
        "Counted in", choices=choices([("projects", "projects"), ("money", "capex of all years")])
    )

    def validate_amount(self, field) -> None:
        if self.sector_id.data and field.data is None:
            raise ValidationError("Give the amount of this sector rule, or clear its sector.")
        if field.data is not None and not self.sector_id.data:
            raise ValidationError("Choose the sector this amount is for.")
        if self.unit.data == "projects" and field.data is not None and field.data % 1:
            raise ValidationError("A number of projects is a whole number.")


class PairRow(Form):
    first = SelectField("Project", choices=[], validate_choice=False)
    relation = SelectField(
        "Relation", choices=choices([("needs", "needs"), ("excludes", "excludes")])
    )
    second = SelectField("Other project", choices=[], validate_choice=False)

    def validate_second(self, field) -> None:
        if bool(self.first.data) != bool(field.data):
            raise ValidationError("Choose both projects of the pair, or neither.")
        if field.data and field.data == self.first.data:
            raise ValidationError("A pair needs two different projects.")


class BundleEditForm(FlaskForm):
    version = HiddenField()
    name = TextField("Name", validators=[DataRequired("Give the bundle a name.")])
    objective = SelectField("Objective", choices=choices(OBJECTIVE_CHOICES))
    enpv_weight = NumberField(
        "Weight of ENPV in a mixed objective (%)",
        validators=[
            InputRequired("Give a weight between 0 and 100 %."),
            NumberRange(min=0, max=100, message="Give a weight between 0 and 100 %%."),
        ],
    )
    opex_budget = NumberField(
        "Operating-cost budget per year (optional)", validators=[Optional(), NOT_NEGATIVE]
    )
    candidates = FieldList(FormField(CandidateRow))
    budgets = FieldList(FormField(BudgetRow))
    sector_rules = FieldList(FormField(SectorRuleRow))
    pairs = FieldList(FormField(PairRow))
    submit = SubmitField("Save bundle")

    def set_choices(self, projects: list[tuple[int, str]], sectors: list[tuple[int, str]]):
        """Fill the selects of the sector-rule and pair rows."""
        project_choices = choices([("", "(none)"), *projects])
        for row in self.pairs:
            row.form.first.choices = project_choices
            row.form.second.choices = project_choices
        sector_choices = choices([("", "(none)"), *sectors])
        for row in self.sector_rules:
            row.form.sector_id.choices = sector_choices
        valid_projects = {str(pid) for pid, _ in projects}
        valid_sectors = {str(sid) for sid, _ in sectors}
        self._valid = (valid_projects, valid_sectors)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        projects, sectors = getattr(self, "_valid", (set(), set()))
        for row in self.pairs:
            for select in (row.form.first, row.form.second):
                if select.data and select.data not in projects:
                    select.errors.append("Choose a project of this city from the list.")
                    ok = False
        for row in self.sector_rules:
            if row.form.sector_id.data and row.form.sector_id.data not in sectors:
                row.form.sector_id.errors.append("Choose a sector from the list.")
                ok = False
        return ok

    def to_spec(self) -> dict:
        """The plain data app.bundles.service.save_bundle takes."""
        return {
            "name": self.name.data,
            "objective": self.objective.data,
            "enpv_weight_pct": float(self.enpv_weight.data),
            "opex_budget": self.opex_budget.data,
            "candidates": [
                {
                    "project_id": int(row.form.project_id.data),
                    "must_include": row.form.must_include.data,
                    "must_exclude": row.form.must_exclude.data,
                    "group": row.form.group.data or "",
                }
                for row in self.candidates
                if row.form.candidate.data and (row.form.project_id.data or "").isdigit()
            ],
            "budgets": {
                int(row.form.year.data): row.form.amount.data
                for row in self.budgets
                if (row.form.year.data or "").isdigit()
            },
            "sector_rules": [
                {
                    "sector_id": int(row.form.sector_id.data),
                    "bound": row.form.bound.data,
                    "amount": row.form.amount.data,
                    "unit": row.form.unit.data,
                }
                for row in self.sector_rules
                if row.form.sector_id.data and row.form.amount.data is not None
            ],
            "pairs": [
                {
                    "first": int(row.form.first.data),
                    "relation": row.form.relation.data,
                    "second": int(row.form.second.data),
                }
                for row in self.pairs
                if row.form.first.data and row.form.second.data
            ],
        }


class ActionForm(FlaskForm):
    """A plain action button (optimise, send, revise) carrying the bundle's version."""

    version = HiddenField()


def edit_data(bundle, rows, years: list[int], *, blank_rows: int = 3) -> dict:
    """The edit form's initial data from a stored bundle (blank rows to add rules)."""
    from app.models import LimitKind

    items = {item.project_id: item for item in bundle.items}
    rules = bundle.rules or {}
    groups = rules.get("groups") or {}
    budgets = {lim.year: lim.amount for lim in bundle.limits if lim.kind is LimitKind.BUDGET}
    sector_rules = [
        {
            "sector_id": str(lim.sector_id),
            "bound": "min" if lim.kind is LimitKind.SECTOR_MIN else "max",
            "amount": lim.amount,
            "unit": "projects" if lim.unit == "projects" else "money",
        }
        for lim in bundle.limits
        if lim.kind is not LimitKind.BUDGET
    ]
    pairs = [
        {"first": str(a), "relation": relation, "second": str(b)}
        for relation, key in (("needs", "requires"), ("excludes", "excludes"))
        for a, b in rules.get(key, [])
    ]
    blank_rule = {"sector_id": "", "bound": "min", "amount": None, "unit": "projects"}
    blank_pair = {"first": "", "relation": "needs", "second": ""}
    return {
        "version": str(bundle.version),
        "name": bundle.name,
        "objective": bundle.objective,
        "enpv_weight": round(float(rules.get("enpv_weight", 0.5)) * 100, 4),
        "opex_budget": budgets.get(None),
        "candidates": [
            {
                "project_id": str(row.project.id),
                "candidate": row.project.id in items,
                "must_include": bool(
                    items.get(row.project.id) and items[row.project.id].must_include
                ),
                "must_exclude": bool(
                    items.get(row.project.id) and items[row.project.id].must_exclude
                ),
                "group": groups.get(str(row.project.id), ""),
            }
            for row in rows
        ],
        "budgets": [{"year": str(year), "amount": budgets.get(year)} for year in years],
        "sector_rules": sector_rules + [dict(blank_rule) for _ in range(blank_rows)],
        "pairs": pairs + [dict(blank_pair) for _ in range(blank_rows)],
    }
