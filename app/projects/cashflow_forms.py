"""The editable cash-flow table: one text input per (year, flow kind) cell.

The fields depend on the project's horizon, so the form class is built per table.
A wrong cell is named by its calendar year and kind, and keeps what was typed.
"""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import ValidationError

from app.core.numbers import MONEY, SIGNED_MONEY, NumberError, read_number
from app.models import FlowKind
from app.projects.cashflows import KIND_LABELS, SIGNED_KINDS, FlowTable, cell_name

__all__ = ["CashFlowTableForm", "RebuildForm", "cash_flow_form"]


class CashFlowTableForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField("Save cash flows")

    table: FlowTable

    def cell(self, year: int, kind: FlowKind):
        return self[cell_name(year, kind)]

    def cells(self) -> dict[tuple[int, FlowKind], Decimal | None]:
        """Every cell's number (None when blank); call after a successful validate()."""
        return {
            (year, kind): read_number(self.cell(year, kind).data, _spec(kind))
            for year, _ in self.table.years
            for kind in FlowKind
        }

    def cell_errors(self) -> list[tuple[str, str]]:
        """(field id, message) of every wrong cell, in table order, for the summary."""
        return [
            (field.id, error)
            for year, _ in self.table.years
            for kind in FlowKind
            for field in [self.cell(year, kind)]
            for error in field.errors
        ]


class RebuildForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField("Rebuild from the catalogue solution")


def _spec(kind: FlowKind):
    return SIGNED_MONEY if kind in SIGNED_KINDS else MONEY


def _cell_validator(calendar_year: int, year: int, kind: FlowKind):
    where = f"Year {calendar_year} (year {year}), {KIND_LABELS[kind]}"

    def validate(form, field):
        try:
            amount = read_number(field.data, SIGNED_MONEY)
        except NumberError as error:
            raise ValidationError(f"{where}: {error}") from None
        if amount is not None and amount < 0 and kind not in SIGNED_KINDS:
            raise ValidationError(
                f"{where}: {field.data} is negative; enter a positive amount "
                "(the column says whether it is a cost or an income)."
            )

    return validate


def cash_flow_form(table: FlowTable, *, version: int, formdata=None) -> CashFlowTableForm:
    """A form for ``table``: filled from the saved cells, or from ``formdata`` on a POST."""

    class Form(CashFlowTableForm):
        pass

    for year, calendar_year in table.years:
        for kind in FlowKind:
            label = f"{KIND_LABELS[kind]}, {calendar_year}"
            setattr(
                Form,
                cell_name(year, kind),
                StringField(label, [_cell_validator(calendar_year, year, kind)]),
            )
    data = {"version": version}
    for (year, kind), amount in table.cells.items():
        data[cell_name(year, kind)] = _plain(amount)
    form = Form(formdata=formdata, data=data) if formdata is not None else Form(data=data)
    form.table = table
    return form


def _plain(amount: Decimal) -> str:
    """12500.00 -> '12500', 0.50 -> '0.5': what a person would type."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
