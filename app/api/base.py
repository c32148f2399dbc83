"""What every API resource shares: the documented Api, token sign-in, problem documents,
pages of results, and running the pages' own forms on JSON bodies.

The API calls the same services as the pages with the token's user, so the permission
and business rules have one home. Where a page validates its input with a WTForms form,
the API runs that same form on the JSON body (:func:`form_input`), so a value refused on
the page is refused here with the same message.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, request
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from app.api.tokens import authenticate
from app.core.errors import InvalidInput
from app.core.extensions import csrf
from app.core.pagination import Page
from app.models import User
from app.models.base import as_utc

__all__ = [
    "PREFIX",
    "FormRefused",
    "PageArgs",
    "ProblemApi",
    "ProblemSchema",
    "UtcDateTime",
    "api_blueprint",
    "api_user",
    "form_input",
    "page_of",
    "page_schema",
]

PREFIX = "/api/v1"
PROBLEM_TYPE = "application/problem+json"


class UtcDateTime(fields.DateTime):
    """A moment in RFC 3339 with its UTC offset (SQLite hands back naive UTC times)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(None if value is None else as_utc(value), attr, obj, **kwargs)


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type = fields.String(metadata={"description": "about:blank: the title says it all"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(metadata={"description": "what is wrong and what to do"})
    instance = fields.String(metadata={"description": "the path that answered"})
    errors = fields.Raw(metadata={"description": "the fields at fault, each with its messages"})


class ProblemApi(Api):
    """flask-smorest's Api whose error answers are documented as problem documents."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_TYPE
        try:
            super()._register_responses()
        finally:
            del self.DEFAULT_RESPONSE_CONTENT_TYPE


def _sign_in_by_token() -> None:
    g.api_user = authenticate(request.headers.get("Authorization"))


def api_blueprint(name: str, description: str) -> SmorestBlueprint:
    """A resource's blueprint under /api/v1: token sign-in, no CSRF (no cookie is read)."""
    blp = SmorestBlueprint(f"api_{name}", __name__, url_prefix=PREFIX, description=description)
    blp.before_request(_sign_in_by_token)
    csrf.exempt(blp)
    return blp


def api_user() -> User:
    """The user whose token signed this request in."""
    return g.api_user


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


_PAGE_SCHEMAS: dict[str, type[Schema]] = {}


def page_schema(item: type[Schema]) -> type[Schema]:
    """The schema of one page of ``item`` rows, with the totals."""
    name = item.__name__.removesuffix("Schema") + "PageSchema"
    if name not in _PAGE_SCHEMAS:
        _PAGE_SCHEMAS[name] = Schema.from_dict(
            {
                "items": fields.List(fields.Nested(item), required=True),
                "total": fields.Integer(required=True, metadata={"description": "rows in all"}),
                "page": fields.Integer(required=True),
                "per_page": fields.Integer(required=True),
                "pages": fields.Integer(required=True),
            },
            name=name,
        )
    return _PAGE_SCHEMAS[name]


def page_of(found: Page, items=None) -> dict:
    return {
        "items": found.items if items is None else items,
        "total": found.total,
        "page": found.number,
        "per_page": found.size,
        "pages": found.pages,
    }


class FormRefused(InvalidInput):
    """A JSON body the page's form refuses; ``errors`` names each field and its messages."""

    status = 422

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__("Some fields are refused; see errors, correct them and send again.")
        self.errors = dict(errors)


def _formdata(body: Mapping) -> MultiDict:
    pairs = []
    for name, value in body.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is None or item is False:
                continue
            pairs.append((name, "y" if item is True else str(item)))
    return MultiDict(pairs)


def _default(field):
    """What a browser sends for an untouched field: its value, or a list's first option."""
    if field.data is None and field.type == "SelectField":
        first = next(iter(field.iter_choices()), None)
        return None if first is None else first[0]
    return field.data


def form_input(form_class, body: Mapping, *, prepare=None, **options):
    """The page's form filled from ``body`` and validated; FormRefused when it refuses.

    ``prepare(form)`` sets what the page sets before validating (e.g. the choices). A
    field left out of ``body`` takes the form's default, as on a page opened afresh.
    ``options`` go to the form's constructor as the page passes them."""
    blank = form_class(formdata=None, meta={"csrf": False}, **options)
    if prepare is not None:
        prepare(blank)
    defaults = {name: _default(field) for name, field in blank._fields.items()}
    defaults = {k: v for k, v in defaults.items() if v not in (None, "", [], False)}
    form = form_class(formdata=_formdata(defaults | dict(body)), meta={"csrf": False}, **options)
    if prepare is not None:
        prepare(form)
    if not form.validate():
        raise FormRefused({name: list(messages) for name, messages in form.errors.items()})
    return form
