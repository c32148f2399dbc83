"""Bundles: list, get, and optimise a draft (inline, or a job when large)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.base import PageArgs, UtcDateTime, api_blueprint, api_user, page_of, page_schema
from app.api.job_api import JobSchema, accepted
from app.bundles import optimisation
from app.bundles import service as bundles

blp = api_blueprint("bundles", "Bundles of projects optimised under yearly budgets and rules")


class BundleItemSchema(Schema):
    project_id = fields.Integer()
    title = fields.String(attribute="project.title")
    must_include = fields.Boolean()
    must_exclude = fields.Boolean()
    selected = fields.Boolean(allow_none=True, metadata={"description": "null: not optimised"})


class BundleLimitSchema(Schema):
    kind = fields.String()
    name = fields.String()
    year = fields.Integer(allow_none=True)
    sector_id = fields.Integer(allow_none=True)
    amount = fields.Float(metadata={"description": "in unit"})
    unit = fields.String(metadata={"description": "a currency (ISO 4217) or a count"})


class BundleSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String()
    city_id = fields.Integer()
    city = fields.String(attribute="city.name")
    status = fields.String()
    objective = fields.String()
    currency = fields.String(metadata={"description": "of every money figure of the bundle"})
    price_base_year = fields.Integer(allow_none=True)
    version = fields.Integer(metadata={"description": "send it back to optimise"})
    updated_at = UtcDateTime()


class BundleDetailSchema(BundleSchema):
    rules = fields.Raw()
    result = fields.Raw(allow_none=True, metadata={"description": "the last optimisation"})
    items = fields.List(fields.Nested(BundleItemSchema))
    limits = fields.List(fields.Nested(BundleLimitSchema))


class BundleListArgs(PageArgs):
    city_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class OptimiseSchema(Schema):
    version = fields.Integer(required=True, metadata={"description": "the version you read"})


@blp.get("/bundles")
@blp.arguments(BundleListArgs, location="query")
@blp.response(200, page_schema(BundleSchema))
def list_bundles(args):
    """Bundles the token's user may see (staff: all, by city; a city: its own once sent)."""
    found = bundles.list_bundles(
        api_user(), city_id=args.get("city_id"), page=args["page"], size=args["per_page"]
    )
    return page_of(found["page"])


@blp.get("/bundles/<int:bundle_id>")
@blp.response(200, BundleDetailSchema)
def get_bundle(bundle_id: int):
    """One bundle with its candidates, limits and last result."""
    return bundles.get_bundle(api_user(), bundle_id)


@blp.post("/bundles/<int:bundle_id>/optimise")
@blp.arguments(OptimiseSchema)
@blp.response(200, BundleDetailSchema)
@blp.alt_response(202, schema=JobSchema, description="A job: follow it at Location")
def optimise(body, bundle_id: int):
    """Optimise a draft bundle (staff): 200 with the result, or 202 with a job when large.
    409 when the bundle changed since `version`."""
    outcome, value = optimisation.optimise(api_user(), bundle_id, body["version"])
    if outcome == "job":
        return accepted(value)
    return bundles.get_bundle(api_user(), bundle_id)
