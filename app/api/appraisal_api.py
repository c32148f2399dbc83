"""Appraisal runs: start one (a job when its Monte Carlo is large), list, get."""

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
from app.api.job_api import JobSchema, accepted
from app.appraisals import service as appraisals
from app.appraisals.forms import AppraisalForm
from app.models import Job

blp = api_blueprint("appraisals", "Appraisal runs of a project (EU CBA method)")


class RunSchema(Schema):
    id = fields.Integer(required=True)
    project_id = fields.Integer(required=True)
    parameter_set = fields.String(metadata={"description": "the rules it followed"})
    engine_version = fields.String()
    verdict = fields.String(allow_none=True)
    created_at = UtcDateTime()
    summary = fields.Function(
        lambda run: (run.results or {}).get("summary"),
        metadata={"description": "headline figures; money in the run's currency and price base"},
    )


class RunDetailSchema(RunSchema):
    inputs = fields.Raw(metadata={"description": "the snapshot of inputs the run used"})
    results = fields.Raw(metadata={"description": "every figure the appraisal page shows"})


class AppraiseSchema(Schema):
    """The appraisal form's fields: rates in percent, as on the page."""

    parameter_set = fields.String(
        metadata={"description": "'<name>|<version>'; default: the city's set (/parameter-sets)"}
    )
    financial_rate_pct = fields.Float(allow_none=True, allow_nan=False)
    social_rate_pct = fields.Float(allow_none=True, allow_nan=False)
    draws = fields.Integer(
        metadata={"description": "Monte Carlo draws; large ones run as a job (202)"}
    )
    seed = fields.Integer(allow_none=True)
    capex_low = fields.Float(allow_nan=False)
    capex_high = fields.Float(allow_nan=False)
    capex_distribution = fields.String()
    opex_low = fields.Float(allow_nan=False)
    opex_high = fields.Float(allow_nan=False)
    opex_distribution = fields.String()
    revenue_low = fields.Float(allow_nan=False)
    revenue_high = fields.Float(allow_nan=False)
    revenue_distribution = fields.String()
    benefits_low = fields.Float(allow_nan=False)
    benefits_high = fields.Float(allow_nan=False)
    benefits_distribution = fields.String()
    # The run's methods (empty or absent: the project's assumptions); see the run form.
    residual_method = fields.String(
        metadata={"description": "'' (the project's), 'lines' or 'net_flows'"}
    )
    remaining_life = fields.Integer(allow_none=True)
    flat_rate_sector = fields.String(
        metadata={"description": "'' (the project's), 'none' or a sector of Annex V"}
    )
    inflation_pct = fields.Float(allow_none=True, allow_nan=False)
    capex_inflation_pct = fields.Float(allow_none=True, allow_nan=False)
    opex_inflation_pct = fields.Float(allow_none=True, allow_nan=False)
    revenue_inflation_pct = fields.Float(allow_none=True, allow_nan=False)
    benefits_inflation_pct = fields.Float(allow_none=True, allow_nan=False)
    carbon_variants = fields.String(metadata={"description": "'', 'yes' or 'no'"})
    scenarios = fields.String(metadata={"description": "'', 'illustrative' or 'no'"})
    skilled_share_pct = fields.Float(allow_none=True, allow_nan=False)
    unskilled_share_pct = fields.Float(allow_none=True, allow_nan=False)
    skilled_factor = fields.Float(allow_none=True, allow_nan=False)
    unskilled_factor = fields.Float(allow_none=True, allow_nan=False)
    economic_vat_pct = fields.Float(allow_none=True, allow_nan=False)
    subsidy_share_pct = fields.Float(allow_none=True, allow_nan=False)
    optimism_bias_type = fields.String(metadata={"description": "'', 'none' or a project type"})
    optimism_bias_bound = fields.String(metadata={"description": "'upper' or 'lower'"})
    vat_rate_pct = fields.Float(allow_none=True, allow_nan=False)
    vat_recoverable = fields.String(metadata={"description": "'', 'yes' or 'no'"})
    lines_include_vat = fields.String(metadata={"description": "'', 'yes' or 'no'"})
    profit_tax_rate_pct = fields.Float(allow_none=True, allow_nan=False)
    tax_life = fields.Integer(allow_none=True)
    receivable_days = fields.Float(allow_none=True, allow_nan=False)
    stock_days = fields.Float(allow_none=True, allow_nan=False)
    payable_days = fields.Float(allow_none=True, allow_nan=False)


class RunListArgs(PageArgs):
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


@blp.post("/projects/<int:project_id>/runs")
@blp.arguments(AppraiseSchema)
@blp.response(201, RunDetailSchema)
@blp.alt_response(202, schema=JobSchema, description="A job: follow it at Location")
def start_run(body, project_id: int):
    """Appraise the project now (201 with the run) or as a job (202) when large (staff)."""
    user = api_user()
    project = appraisals.project_for_appraisal(user, project_id)
    form = form_input(AppraisalForm, body, **appraisals.appraisal_form_options(project))
    outcome = appraisals.request_appraisal(user, project_id, **form.options())
    if isinstance(outcome, Job):
        return accepted(outcome)
    return outcome


@blp.get("/projects/<int:project_id>/runs")
@blp.arguments(RunListArgs, location="query")
@blp.response(200, page_schema(RunSchema))
def list_runs(args, project_id: int):
    """The project's runs, newest first (staff and the project's city)."""
    found = appraisals.list_runs(api_user(), project_id, page=args["page"], size=args["per_page"])
    return page_of(found)


@blp.get("/projects/<int:project_id>/runs/<int:run_id>")
@blp.response(200, RunDetailSchema)
def get_run(project_id: int, run_id: int):
    """One run with its inputs and results (staff and the project's city)."""
    return appraisals.get_run(api_user(), project_id, run_id)
