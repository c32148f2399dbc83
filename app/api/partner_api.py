"""Opportunities for partners (published projects, best fit first, each with its reasons)
and their expressions of interest."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.base import (
    PageArgs,
    UtcDateTime,
    api_blueprint,
    api_user,
    form_input,
    page_of,
    page_schema,
)
from app.api.project_api import ProjectSchema, ProjectSummarySchema
from app.partners import opportunities as ops
from app.partners.forms import FilterForm

blp = api_blueprint("partners", "Opportunities for partners, and expressions of interest")

ID = validate.Range(min=1, max=2**31 - 1)


class OpportunitySchema(Schema):
    project = fields.Nested(ProjectSummarySchema, required=True)
    fit = fields.Float(attribute="score", metadata={"description": "0 to 1"})
    confidence = fields.Float(metadata={"description": "0 to 1: how much of the fit is known"})
    reasons = fields.List(fields.String(), metadata={"description": "why it fits"})
    concerns = fields.List(fields.String(), metadata={"description": "what holds it back"})


class OpportunityDetailSchema(Schema):
    project = fields.Nested(ProjectSchema, required=True)
    sdgs = fields.List(fields.Integer())
    summary = fields.Raw(allow_none=True, metadata={"description": "latest appraisal summary"})
    fit = fields.Float(attribute="fit.score", allow_none=True)
    confidence = fields.Float(attribute="fit.confidence", allow_none=True)
    interest_status = fields.Function(
        lambda context: context["interest"].status.value if context["interest"] else None
    )


class OpportunityArgs(PageArgs):
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    partner = fields.Integer(validate=ID, metadata={"description": "staff: preview a partner"})
    sector = fields.Integer(validate=ID)
    country = fields.String(validate=validate.Length(max=2), metadata={"description": "ISO"})
    income_group = fields.String(validate=validate.Length(max=40))
    capex_min = fields.Float(allow_nan=False, metadata={"description": "EUR millions"})
    capex_max = fields.Float(allow_nan=False, metadata={"description": "EUR millions"})
    sdg = fields.Integer(validate=validate.Range(min=1, max=17))
    delivery_model = fields.String(validate=validate.Length(max=40))
    sort = fields.String(
        validate=validate.OneOf(list(ops.SORTS)), metadata={"description": "; ".join(ops.SORTS)}
    )


class PartnerArgs(Schema):
    partner = fields.Integer(validate=ID, metadata={"description": "staff: preview a partner"})


class InterestArgs(PageArgs):
    partner = fields.Integer(validate=ID, metadata={"description": "staff: preview a partner"})


class InterestSchema(Schema):
    id = fields.Integer(required=True)
    project_id = fields.Integer()
    project = fields.String(attribute="project.title")
    city = fields.String(attribute="project.city.name")
    status = fields.String()
    message = fields.String()
    created_at = UtcDateTime()


class InterestInputSchema(Schema):
    message = fields.String(
        required=True,
        metadata={"description": f"{ops.MESSAGE_MIN} to {ops.MESSAGE_MAX} characters"},
    )


def _filters(args: dict) -> ops.Filters:
    """The page's filter form on the query's filters (none given: nothing to check)."""
    body = {k: v for k, v in args.items() if k not in ("page", "per_page", "partner")}
    if not body:
        return ops.Filters()
    choices = ops.filter_choices()
    return form_input(FilterForm, body, prepare=lambda f: f.set_choices(choices)).filters()


@blp.get("/opportunities")
@blp.arguments(OpportunityArgs, location="query")
@blp.response(200, page_schema(OpportunitySchema))
def list_opportunities(args):
    """Published projects for the token's partner, best fit first, with the page's filters."""
    _, found = ops.list_opportunities(
        api_user(),
        _filters(args),
        partner_id=args.get("partner"),
        page=args["page"],
        size=args["per_page"],
    )
    return page_of(found)


@blp.get("/opportunities/<int:project_id>")
@blp.arguments(PartnerArgs, location="query")
@blp.response(200, OpportunityDetailSchema)
def get_opportunity(args, project_id: int):
    """One published project, its fit for the partner, and the partner's interest in it."""
    return ops.get_opportunity(api_user(), project_id, partner_id=args.get("partner"))


@blp.post("/opportunities/<int:project_id>/interests")
@blp.arguments(InterestInputSchema)
@blp.response(201, InterestSchema)
def express_interest(body, project_id: int):
    """Express the partner's interest in a published project (once per project)."""
    return ops.express_interest(api_user(), project_id, body["message"])


@blp.get("/interests")
@blp.arguments(InterestArgs, location="query")
@blp.response(200, page_schema(InterestSchema))
def list_interests(args):
    """The partner's own expressions of interest, newest first."""
    _, found = ops.list_interests(
        api_user(), partner_id=args.get("partner"), page=args["page"], size=args["per_page"]
    )
    return page_of(found)
