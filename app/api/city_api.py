"""Cities and their KPI values: list, get, read the values, push values (all or nothing)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.base import PageArgs, api_blueprint, api_user, page_of, page_schema
from app.catalogue import service as catalogue
from app.kpidata.pushing import MAX_VALUES, push_values

blp = api_blueprint("cities", "Cities, their profiles' KPI values, and pushing new values")


class CitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(attribute="country.iso2", metadata={"description": "ISO 3166-1"})
    country_name = fields.String(attribute="country.name")
    population = fields.Integer(allow_none=True, metadata={"description": "inhabitants"})
    population_year = fields.Integer(allow_none=True)
    population_source = fields.String(allow_none=True)
    currency = fields.Function(
        lambda city: city.currency or city.country.currency_code,
        metadata={"description": "the city's budget currency (ISO 4217)"},
    )
    latitude = fields.Float(allow_none=True, metadata={"description": "WGS84 degrees"})
    longitude = fields.Float(allow_none=True, metadata={"description": "WGS84 degrees"})
    illustrative = fields.Boolean(
        metadata={"description": "true: not from a real source, for demonstration only"}
    )
    source = fields.String(allow_none=True)


class CityArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=120))
    country = fields.String(validate=validate.Length(equal=2), metadata={"description": "ISO 2"})
    income_group = fields.String(validate=validate.Length(max=40))
    region = fields.String(validate=validate.Length(max=60), metadata={"description": "WB"})


class KpiValueSchema(Schema):
    kpi_code = fields.String(attribute="kpi.code", required=True)
    kpi_name = fields.String(attribute="kpi.name")
    data_point = fields.String(metadata={"description": "empty for the KPI's headline value"})
    year = fields.Integer(required=True)
    year_basis = fields.String(allow_none=True)
    value = fields.Float(required=True, metadata={"description": "in the given unit"})
    unit = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    illustrative = fields.Boolean()


class KpiValuesSchema(Schema):
    city = fields.Nested(CitySchema, required=True)
    values = fields.List(fields.Nested(KpiValueSchema), required=True)


class KpiYearArgs(Schema):
    year = fields.Integer(validate=validate.Range(min=1900, max=2100))


class PushedValueSchema(Schema):
    kpi_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    data_point = fields.String(load_default="", validate=validate.Length(max=120))
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    year_basis = fields.String(allow_none=True, validate=validate.Length(max=120))
    value = fields.Float(required=True, allow_nan=False, metadata={"description": "in unit"})
    unit = fields.String(allow_none=True, validate=validate.Length(max=120))
    source = fields.String(allow_none=True, validate=validate.Length(max=2000))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class PushSchema(Schema):
    values = fields.List(
        fields.Nested(PushedValueSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_VALUES),
    )
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "check and count only; write nothing"}
    )


class PushResultSchema(Schema):
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "new, changed, unchanged, rejected and skipped values"},
    )
    written = fields.Integer(metadata={"description": "changes written (0 on a dry run)"})
    dry_run = fields.Boolean()


@blp.get("/cities")
@blp.arguments(CityArgs, location="query")
@blp.response(200, page_schema(CitySchema))
def list_cities(args):
    """The cities, by name; filtered by part of the name (`q`), country, the World Bank
    income group and region, as on the cities page."""
    page, size = args.pop("page"), args.pop("per_page")
    found = catalogue.list_cities(api_user(), page=page, size=size, **args)
    return page_of(found)


@blp.get("/cities/<int:city_id>")
@blp.response(200, CitySchema)
def get_city(city_id: int):
    """One city."""
    city, _ = catalogue.get_city(api_user(), city_id)
    return city


@blp.get("/cities/<int:city_id>/kpis")
@blp.arguments(KpiYearArgs, location="query")
@blp.response(200, KpiValuesSchema)
def get_kpi_values(args, city_id: int):
    """The city's KPI values (every year, or the `year` given)."""
    city, values = catalogue.get_city(api_user(), city_id)
    year = args.get("year")
    return {"city": city, "values": [v for v in values if year is None or v.year == year]}


@blp.post("/cities/<int:city_id>/kpis")
@blp.arguments(PushSchema)
@blp.response(200, PushResultSchema)
def push_kpi_values(body, city_id: int):
    """Write KPI values of the city, all or nothing (staff, or the city's own committee).

    Each value is checked as on the KPI grid and in imports (KPI code, year, unit with
    its conversions, duplicates); one refused value writes nothing and answers 422 with
    `errors` keyed `values.<index>.<field>`. Sending the same values again changes nothing.
    """
    result = push_values(api_user(), city_id, body["values"], dry_run=body["dry_run"])
    return {"counts": result.counts, "written": result.written, "dry_run": result.dry_run}
