"""Projects: list with the pages' filters, get, create, update (version -> 409), and the
yearly cash flows (get, replace). Creating and editing run the project form's checks."""

from __future__ import annotations

from decimal import Decimal

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
from app.catalogue import service as catalogue
from app.core.errors import InvalidInput
from app.models import FlowKind, Stage
from app.projects import cashflows as project_cashflows
from app.projects import choices as project_choices
from app.projects import service as projects
from app.projects.forms import ProjectForm, form_data

blp = api_blueprint("projects", "Projects and their yearly cash flows")

MONEY_NOTE = "in the project's currency at its price base (see currency, price_base_year)"


class ProjectSummarySchema(Schema):
    """A project in a list (its KPIs and details are on GET /projects/{id})."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True)
    city_id = fields.Integer(required=True)
    city = fields.String(attribute="city.name")
    country = fields.String(attribute="city.country.iso2")
    sector_id = fields.Integer()
    sector = fields.String(attribute="sector.name")
    template_id = fields.Integer(allow_none=True)
    scale_quantity = fields.Float(allow_none=True)
    stage = fields.String(required=True)
    published = fields.Boolean()
    delivery_model = fields.String()
    currency = fields.String(metadata={"description": "ISO 4217"})
    price_base_year = fields.Integer()
    price_basis = fields.String(metadata={"description": "real (constant) or nominal prices"})
    start_year = fields.Integer(metadata={"description": "calendar year of year 0"})
    horizon_years = fields.Integer()
    capex_total = fields.Float(allow_none=True, metadata={"description": f"capex {MONEY_NOTE}"})
    risk_level = fields.String()
    illustrative = fields.Boolean()
    version = fields.Integer(metadata={"description": "send it back with an update"})
    updated_at = UtcDateTime()


class ProjectSchema(ProjectSummarySchema):
    kpis = fields.Function(
        lambda p: sorted(k.code for k in p.kpis), metadata={"description": "KPIs addressed"}
    )
    needed_capabilities = fields.List(fields.String())
    instruments_sought = fields.List(fields.String())


class ProjectListArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    stage = fields.String(load_default="", validate=validate.OneOf(["", *[s.value for s in Stage]]))
    city_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    sector_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    country_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class ProjectInputSchema(Schema):
    """The project form's fields; rates and shares in percent as on the page."""

    city_id = fields.Integer()
    sector_id = fields.Integer()
    template_id = fields.Integer(allow_none=True)
    scale_quantity = fields.Float(allow_none=True, allow_nan=False)
    title = fields.String(validate=validate.Length(max=300))
    description = fields.String(allow_none=True)
    kpi_ids = fields.List(fields.Integer())
    delivery_model = fields.String()
    currency = fields.String()
    price_base_year = fields.Integer()
    price_basis = fields.String()
    start_year = fields.Integer()
    horizon_years = fields.Integer()
    needed_capabilities = fields.List(fields.String())
    needs_other = fields.String(allow_none=True)
    instruments_sought = fields.List(fields.String())
    risk_level = fields.String()
    local_conditions = fields.List(fields.String())
    risks = fields.List(fields.String())
    annual_revenue = fields.Float(allow_nan=False, metadata={"description": MONEY_NOTE})
    annual_economic_benefit = fields.Float(allow_nan=False, metadata={"description": MONEY_NOTE})
    co2_tonnes_per_year = fields.Float(allow_nan=False)
    labour_share_pct = fields.Float(allow_nan=False, allow_none=True)


class ProjectCreateSchema(ProjectInputSchema):
    creation_key = fields.String(
        validate=validate.Regexp(
            r"^[0-9a-f]{32}$", error="Give 32 lower-case hex digits (e.g. a UUID4's hex)."
        ),
        metadata={"description": "32 hex digits; the same key again returns the same project"},
    )


class ProjectUpdateSchema(ProjectInputSchema):
    version = fields.Integer(required=True, metadata={"description": "the version you read"})
    rebuild_flows = fields.Boolean(
        load_default=False,
        metadata={"description": "rebuild the cash flows from the catalogue solution"},
    )


class CashFlowLineSchema(Schema):
    year = fields.Integer(required=True, metadata={"description": "0 is the start year"})
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in FlowKind]))
    amount = fields.Float(required=True, metadata={"description": f"{MONEY_NOTE}; co2 in t"})


class CashFlowLineInputSchema(CashFlowLineSchema):
    amount = fields.Decimal(
        required=True,
        allow_nan=False,
        as_string=False,
        metadata={"description": f"{MONEY_NOTE}; co2_tonnes in tonnes"},
    )


class CashFlowsSchema(Schema):
    project_id = fields.Integer()
    currency = fields.String()
    price_base_year = fields.Integer()
    price_basis = fields.String()
    start_year = fields.Integer()
    horizon_years = fields.Integer()
    version = fields.Integer()
    lines = fields.List(fields.Nested(CashFlowLineSchema))


class CashFlowsInputSchema(Schema):
    version = fields.Integer(required=True)
    lines = fields.List(fields.Nested(CashFlowLineInputSchema), required=True)


def _as_form(body: dict) -> dict:
    """The form's text areas take one item a line."""
    return {
        name: "\n".join(value) if name in ("local_conditions", "risks") else value
        for name, value in body.items()
    }


@blp.get("/projects")
@blp.arguments(ProjectListArgs, location="query")
@blp.response(200, page_schema(ProjectSummarySchema))
def list_projects(args):
    """The projects the token's user may see, with the list page's filters."""
    page, size = args.pop("page"), args.pop("per_page")
    return page_of(catalogue.list_projects(api_user(), page=page, size=size, **args))


@blp.get("/projects/<int:project_id>")
@blp.response(200, ProjectSchema)
def get_project(project_id: int):
    """One project (staff: any; a city: its own and published ones; partners: published)."""
    return catalogue.get_project(api_user(), project_id)


@blp.post("/projects")
@blp.arguments(ProjectCreateSchema)
@blp.response(201, ProjectSchema)
def create_project(body):
    """Formulate a project (staff), checked as the project form checks it."""
    user = api_user()
    options = project_choices.form_options(user, city_id=body.get("city_id"))
    form = form_input(ProjectForm, _as_form(body), prepare=lambda f: f.bind(options))
    return projects.create_project(user, form.to_input())


@blp.patch("/projects/<int:project_id>")
@blp.arguments(ProjectUpdateSchema)
@blp.response(200, ProjectSchema)
def update_project(body, project_id: int):
    """Change some fields of a project (staff). 409 when it changed since `version`."""
    user = api_user()
    project = projects.get_project_for_edit(user, project_id)
    version, rebuild = body.pop("version"), body.pop("rebuild_flows")
    merged = form_data(project) | _as_form(body)
    options = project_choices.form_options(user, city_id=merged.get("city_id"))
    form = form_input(ProjectForm, merged, prepare=lambda f: f.bind(options))
    return projects.edit_project(user, project_id, version, form.to_input(), rebuild_flows=rebuild)


def _flows(project) -> dict:
    return {
        "project_id": project.id, "currency": project.currency,
        "price_base_year": project.price_base_year, "price_basis": project.price_basis.value,
        "start_year": project.start_year, "horizon_years": project.horizon_years,
        "version": project.version,
        "lines": sorted(project.cash_flows, key=lambda line: (line.year, line.kind.value)),
    }  # fmt: skip


@blp.get("/projects/<int:project_id>/cashflows")
@blp.response(200, CashFlowsSchema)
def get_cash_flows(project_id: int):
    """The project's yearly cash-flow lines (as its page shows them)."""
    return _flows(project_cashflows.project_page(api_user(), project_id).project)


@blp.put("/projects/<int:project_id>/cashflows")
@blp.arguments(CashFlowsInputSchema)
@blp.response(200, CashFlowsSchema)
def put_cash_flows(body, project_id: int):
    """Replace the whole table (staff); lines left out are removed. 409 on a stale version."""
    cells: dict[tuple[int, FlowKind], Decimal | None] = {}
    for index, line in enumerate(body["lines"]):
        key = (line["year"], FlowKind(line["kind"]))
        if key in cells:
            raise InvalidInput(
                f"lines.{index}: year {key[0]}, {key[1].value} is given twice; send one line each."
            )
        cells[key] = line["amount"]
    project = project_cashflows.save_cash_flows(api_user(), project_id, body["version"], cells)
    return _flows(project)
