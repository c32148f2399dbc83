"""Reference data: sectors, KPIs, targets, SDGs, countries, real cities and their values,
and the solution catalogue. Facts only, each with its source (see seeds/README.md)."""

from __future__ import annotations

from pathlib import Path

from app.kpidata.checking import normalise_kpi_code
from app.models import (
    City,
    Country,
    Direction,
    Kpi,
    KpiTarget,
    ProjectTemplate,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Sector,
)
from app.seeding import reader as r
from app.seeding.parameter_defaults import load_parameter_defaults
from app.seeding.upsert import Upserter

DIRECTIONS = {
    "higher": Direction.HIGHER,
    "lower": Direction.LOWER,
    "target": Direction.TARGET,
    "yes": Direction.BOOLEAN,
    "mixed": Direction.MIXED,
}


def kpi_code(value: str) -> str:
    return normalise_kpi_code(r.required_text(value))


def direction(value: str) -> Direction:
    try:
        return DIRECTIONS[value.strip()]
    except KeyError:
        raise ValueError(f"'{value}' is not one of {', '.join(DIRECTIONS)}") from None


def measured_value(value: str) -> float:
    """A KPI value or target: a number, or yes/no for boolean KPIs (1.0 / 0.0)."""
    lowered = value.strip().lower()
    if lowered in {"yes", "no"}:
        return 1.0 if lowered == "yes" else 0.0
    return r.required_number(value)


def load_reference(root: Path, up: Upserter) -> None:
    sectors = load_sectors(root, up)
    kpis = load_kpis(root, up, sectors)
    load_targets(root, up, kpis)
    load_sdgs(root, up)
    countries = load_countries(root, up)
    load_parameter_defaults(root, up, countries)
    load_cities(root, up, countries, "cities.csv", illustrative=False)
    load_city_values(root, up)
    load_catalogue(root, up, sectors, kpis)


def load_sectors(root: Path, up: Upserter) -> dict[str, Sector]:
    columns = {
        "slug": r.required_text,
        "name": r.required_text,
        "position": r.required_integer,
        "description": r.text,
        "sdg_goals": r.integers,
        "source": r.text,
    }
    sectors = {}
    for _, row in r.read_rows(root, "sectors.csv", columns):
        slug = row.pop("slug")
        sectors[slug] = up.upsert(Sector, {"slug": slug}, row)
    up.session.flush()
    return sectors


def load_kpis(root: Path, up: Upserter, sectors: dict[str, Sector]) -> dict[str, Kpi]:
    columns = {
        "code": kpi_code,
        "name": r.required_text,
        "dimension": r.required_text,
        "sub_dimension": r.text,
        "category": r.required_text,
        "core_or_advanced": r.text,
        "kpi_type": r.text,
        "unit": r.text,
        "higher_is_better": direction,
        "data_points": r.text,
        "sdg_goals": r.integers,
        "verified_against_itu_page": r.yes_no,
        "notes": r.text,
        "source": r.text,
    }
    kpis = {}
    for _, row in r.read_rows(root, "u4ssc_kpis.csv", columns):
        code = row.pop("code")
        row["direction"] = row.pop("higher_is_better")
        row["verified"] = row.pop("verified_against_itu_page")
        kpis[code] = up.upsert(Kpi, {"code": code}, row)
    members: dict[str, list[Sector]] = {code: [] for code in kpis}
    file = "seeds/kpi_sectors.csv"
    known_kpis = r.Lookup("KPI code", kpis)
    known_sectors = r.Lookup("sector slug", sectors)
    for line, row in r.read_rows(
        root, "kpi_sectors.csv", {"kpi_code": kpi_code, "sector_slug": r.required_text}
    ):
        known_kpis.get(row["kpi_code"], file, line, "kpi_code")
        sector = known_sectors.get(row["sector_slug"], file, line, "sector_slug")
        members[row["kpi_code"]].append(sector)
    for code, kpi in kpis.items():
        up.set_collection(kpi, "sectors", members[code])
    up.session.flush()
    return kpis


def load_targets(root: Path, up: Upserter, kpis: dict[str, Kpi]) -> None:
    known = r.Lookup("KPI code", kpis)
    base = {
        "kpi_code": kpi_code,
        "target_value": measured_value,
        "unit": r.text,
        "direction": direction,
        "target_year": r.integer,
        "source_title": r.text,
        "source_address": r.text,
        "confidence": r.text,
        "notes": r.text,
    }
    for relative, extra in (
        ("kpi_targets.csv", {}),
        ("kpi_targets_datapoints.csv", {"data_point": r.required_text}),
    ):
        for line, row in r.read_rows(root, relative, base | extra):
            kpi = known.get(row["kpi_code"], f"seeds/{relative}", line, "kpi_code")
            up.upsert(
                KpiTarget,
                {
                    "kpi_id": kpi.id,
                    "data_point": row.get("data_point", ""),
                    "city_id": None,
                    "target_year": row["target_year"],
                },
                {
                    "value": row["target_value"],
                    "unit": row["unit"],
                    "direction": row["direction"],
                    "source_title": row["source_title"],
                    "source_url": row["source_address"],
                    "confidence": row["confidence"],
                    "notes": row["notes"],
                },
            )


def load_sdgs(root: Path, up: Upserter) -> None:
    for _, row in r.read_rows(
        root,
        "sdg_goals.csv",
        {"goal": r.required_integer, "title": r.required_text, "source": r.text},
    ):
        up.upsert(
            SdgGoal, {"number": row["goal"]}, {"title": row["title"], "source": row["source"]}
        )
    up.session.flush()
    for _, row in r.read_rows(
        root,
        "sdg_targets.csv",
        {
            "code": r.required_text,
            "goal": r.required_integer,
            "text": r.required_text,
            "source": r.text,
        },
    ):
        up.upsert(
            SdgTarget,
            {"code": row["code"]},
            {"goal_number": row["goal"], "text": row["text"], "source": row["source"]},
        )
    up.session.flush()
    for _, row in r.read_rows(
        root,
        "sdg_indicators.csv",
        {
            "code": r.required_text,
            "target_code": r.required_text,
            "text": r.required_text,
            "source": r.text,
        },
    ):
        up.upsert(
            SdgIndicator,
            {"code": row["code"]},
            {"target_code": row["target_code"], "text": row["text"], "source": row["source"]},
        )


def load_countries(root: Path, up: Upserter) -> dict[str, Country]:
    columns = {
        "iso2": r.required_text,
        "iso3": r.required_text,
        "isonumeric": r.integer,
        "name": r.required_text,
        "continentcode": r.text,
        "capital": r.text,
        "population": r.integer,
        "currencycode": r.text,
        "wb_region": r.text,
        "wb_income_group_FY2024": r.text,
        "wb_lending_category": r.text,
    }
    countries = {}
    for _, row in r.read_rows(root, "countries.csv", columns):
        countries[row["iso2"]] = up.upsert(
            Country,
            {"iso2": row["iso2"]},
            {
                "iso3": row["iso3"],
                "iso_numeric": row["isonumeric"],
                "name": row["name"],
                "continent": row["continentcode"],
                "capital": row["capital"],
                "population": row["population"],
                "currency_code": row["currencycode"],
                "wb_region": row["wb_region"],
                "income_group": row["wb_income_group_FY2024"],
                "lending_category": row["wb_lending_category"],
            },
        )
    up.session.flush()
    return countries


CITY_COLUMNS = {
    "slug": r.required_text,
    "name": r.required_text,
    "country_iso2": r.required_text,
    "geonameid": r.integer,
    "admin1code": r.text,
    "latitude": r.number,
    "longitude": r.number,
    "population": r.integer,
    "timezone": r.text,
    "language": r.text,
}


def load_cities(
    root: Path, up: Upserter, countries: dict[str, Country], relative: str, *, illustrative: bool
) -> dict[str, City]:
    known = r.Lookup("country ISO code", countries)
    columns = dict(CITY_COLUMNS)
    if not illustrative:
        columns |= {"population_year": r.integer, "population_source": r.text, "source": r.text}
    cities = {}
    for line, row in r.read_rows(root, relative, columns):
        slug = row.pop("slug")
        country = known.get(row.pop("country_iso2"), f"seeds/{relative}", line, "country_iso2")
        row["country_id"] = country.id
        row["illustrative"] = illustrative
        if illustrative:
            row["source"] = "GeoNames cities15000 (CC BY 4.0); KPI values illustrative"
        cities[slug] = up.upsert(City, {"slug": slug}, row)
    up.session.flush()
    return cities


def load_city_values(root: Path, up: Upserter) -> None:
    """The real values of seeds/city_kpi_values.csv, through the KPI importer (with history)."""
    from app.kpidata.importing import preview_bytes
    from app.kpidata.recording import apply

    file = "seeds/city_kpi_values.csv"
    up.session.flush()
    preview, _ = preview_bytes(file, (root / "city_kpi_values.csv").read_bytes())
    if preview.rejected:
        first = preview.rejected[0]
        raise r.SeedError(file, first.line, first.column, first.reason)
    apply(preview, user_id=None, via="usc seed (seeds/city_kpi_values.csv)")
    if preview.new:
        up.added["kpi_value"] += len(preview.new)
    if preview.changed:
        up.updated["kpi_value"] += len(preview.changed)


def load_catalogue(
    root: Path, up: Upserter, sectors: dict[str, Sector], kpis: dict[str, Kpi]
) -> dict[str, ProjectTemplate]:
    columns = {
        "slug": r.required_text,
        "sector_slug": r.required_text,
        "solution": r.required_text,
        "unit": r.required_text,
        "unit_short": r.text,
        "capex_per_unit_low": r.decimal,
        "capex_per_unit_central": r.decimal,
        "capex_per_unit_high": r.decimal,
        "currency": r.one_of("EUR", "USD"),
        "price_year": r.text,
        "price_year_int": r.required_integer,
        "opex_per_unit_per_year": r.decimal,
        "opex_pct_of_capex": r.number,
        "lifetime_years_filled": r.number,
        "lifetime_basis": r.text,
        "typical_effect": r.text,
        "indicators_moved": r.text,
        "kpi_codes": lambda v: [normalise_kpi_code(c) for c in r.items(v)],
        "source_title": r.text,
        "source_address": r.text,
        "confidence": r.text,
    }
    file = "seeds/solution_catalogue.csv"
    known_sectors, known_kpis = r.Lookup("sector slug", sectors), r.Lookup("KPI code", kpis)
    templates = {}
    for line, row in r.read_rows(root, "solution_catalogue.csv", columns):
        sector = known_sectors.get(row["sector_slug"], file, line, "sector_slug")
        moved = [known_kpis.get(code, file, line, "kpi_codes") for code in row["kpi_codes"]]
        template = up.upsert(
            ProjectTemplate,
            {"slug": row["slug"]},
            {
                "sector_id": sector.id,
                "name": row["solution"],
                "unit": row["unit"],
                "unit_short": row["unit_short"],
                "capex_per_unit_low": row["capex_per_unit_low"],
                "capex_per_unit_central": row["capex_per_unit_central"],
                "capex_per_unit_high": row["capex_per_unit_high"],
                "currency": row["currency"],
                "price_year": row["price_year_int"],
                "price_year_note": row["price_year"],
                "opex_per_unit_per_year": row["opex_per_unit_per_year"],
                "opex_pct_of_capex": row["opex_pct_of_capex"],
                "lifetime_years": row["lifetime_years_filled"],
                "lifetime_basis": row["lifetime_basis"],
                "typical_effect": row["typical_effect"],
                "indicators_moved": row["indicators_moved"],
                "source_title": row["source_title"],
                "source_url": row["source_address"],
                "confidence": row["confidence"],
            },
        )
        up.set_collection(template, "kpis", moved)
        templates[row["slug"]] = template
    up.session.flush()
    return templates
