"""The illustrative expert pool (seeds/demo/experts.csv): fictional experts with their
fields, countries, languages and availability."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.core.errors import SeedError
from app.models import KPI_DIMENSIONS, Country, Expert, Sector
from app.seeding import reader as r
from app.seeding.upsert import Upserter

FILE = "demo/experts.csv"


def load_experts(root: Path, up: Upserter) -> dict[str, Expert]:
    columns = {
        "slug": r.required_text,
        "name": r.required_text,
        "organisation": r.text,
        "sectors": r.items,
        "dimensions": r.items,
        "countries": r.items,
        "languages": r.items,
        "days_per_year": r.required_integer,
        "days_per_engagement": r.required_integer,
        "past_engagements": r.text,
    }
    sectors = set(up.session.scalars(select(Sector.slug)))
    countries = set(up.session.scalars(select(Country.iso2)))
    experts = {}
    name = f"seeds/{FILE}"
    for line, row in r.read_rows(root, FILE, columns):
        for column, known in (
            ("sectors", sectors),
            ("dimensions", KPI_DIMENSIONS),
            ("countries", countries),
        ):
            unknown = [v for v in row[column] if v not in known]
            if unknown:
                raise SeedError(name, line, column, f"unknown value '{unknown[0]}'")
        if row["days_per_engagement"] <= 0:
            raise SeedError(name, line, "days_per_engagement", "it must be at least 1 day")
        experts[row["slug"]] = up.upsert(
            Expert,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "organisation": row["organisation"] or "",
                "sectors": row["sectors"],
                "dimensions": row["dimensions"],
                "countries": row["countries"],
                "languages": [code.lower() for code in row["languages"]],
                "days_per_year": row["days_per_year"],
                "days_per_engagement": row["days_per_engagement"],
                "past_engagements": row["past_engagements"] or "",
                "illustrative": True,
                "source": f"illustrative: {name} (fictional expert)",
            },
        )
    up.session.flush()
    return experts
