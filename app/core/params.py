"""Query and form parameters read the one way numbers are read (:mod:`app.core.numbers`).

A parameter that is missing or blank gives the default; one that is present but is not
a number of its kind (an id beyond the database's range, ``page=NaN``) answers 404 with
the reason, as a URL naming no such thing does, never a 500.
"""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter

from app.core.fields import TextError, clean_text
from app.core.numbers import ID, PAGE, QUANTITY, NumberError, NumberSpec, read_number

__all__ = ["BoundedIntConverter", "arg_id", "arg_ids", "arg_page", "arg_number", "arg_text"]


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, capped at PostgreSQL's integer: a larger id matches no route."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, ID.high if max is None else max, signed)


def _source(form: bool):
    return request.form if form else request.args


def _read(name: str, text: str, spec: NumberSpec):
    """One value of the parameter ``name`` (an int when whole, None when blank), or 404."""
    try:
        number = read_number(text, spec)
    except NumberError as error:
        abort(404, description=f"The parameter {name}: {error}")
    if number is None:
        return None
    return int(number) if spec.whole else number


def arg_number(name: str, spec: NumberSpec = QUANTITY, *, default=None, form: bool = False):
    """The parameter ``name`` read within ``spec`` (an int when whole), or 404."""
    number = _read(name, _source(form).get(name, ""), spec)
    return default if number is None else number


def arg_id(name: str, *, form: bool = False) -> int | None:
    """An id parameter (``city_id=12``), None when absent, 404 when not an id."""
    return arg_number(name, ID, form=form)


def arg_ids(name: str) -> list[int]:
    """Every id given as ``name`` (repeated or comma-separated), 404 if one is not an id."""
    values = [part for raw in request.args.getlist(name) for part in raw.split(",")]
    return [number for part in values if (number := _read(name, part, ID)) is not None]


def arg_page(name: str = "page") -> int:
    """The page number of a list, 1 when absent, 404 when not a page number."""
    return arg_number(name, PAGE, default=1)


def arg_text(name: str, *, max_length: int = 100) -> str:
    """A text parameter (a search box): stripped; control characters or an overlong text
    answer 400 with what to change (PostgreSQL would refuse a NUL outright)."""
    try:
        return clean_text(request.args.get(name, ""), max_length=max_length)
    except TextError as error:
        abort(400, description=f"The search '{name}': {error}")
