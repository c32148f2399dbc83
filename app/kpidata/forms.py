"""Forms of KPI data: the grid's hidden state, an upload, a commit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField

from app.core.fields import TextError, clean_text

GRID_CELLS = {"value": 60, "unit": 120, "source": 1000, "note": 1000}


class GridForm(FlaskForm):
    """The grid's own fields; the cells are named r<row>-<cell> and read by :func:`cells`."""

    stamp = HiddenField()
    submit = SubmitField("Save the values")


def cells(form_data, row_count: int) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    """The typed cells per row index, and the cells whose text is refused (with why)."""
    typed: dict[int, dict[str, str]] = {}
    errors: dict[int, dict[str, str]] = {}
    for index in range(row_count):
        if f"r{index}-value" not in form_data:
            continue
        row = {}
        for name, max_length in GRID_CELLS.items():
            try:
                row[name] = clean_text(form_data.get(f"r{index}-{name}"), max_length=max_length)
            except TextError as error:
                row[name] = (form_data.get(f"r{index}-{name}") or "")[:max_length]
                errors.setdefault(index, {})[name] = str(error)
        typed[index] = row
    return typed, errors
