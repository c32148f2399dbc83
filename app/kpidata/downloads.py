"""The per-city template, filled with the values already held for the data year."""

from __future__ import annotations

import re

from app.kpidata.grid import grid
from app.kpidata.template import TemplateRow, write_template
from app.models import User


def template_for(user: User, city_id: int, year: int | None) -> tuple[str, bytes]:
    """The file name and bytes of the city's KPI template for ``year`` (last year by default)."""
    page = grid(user, city_id, year)
    rows = [
        TemplateRow(
            kpi_code=row.code,
            kpi_name=row.name,
            dimension=row.dimension,
            data_point=row.data_point,
            unit=row.unit or "",
            value=row.stored.value if row.stored else None,
            source=row.stored.source if row.stored else None,
            note=row.stored.note if row.stored else None,
        )
        for row in page.rows
    ]
    content = write_template(
        city_id=page.city.id,
        city_name=page.city.name,
        country_iso2=page.city.country.iso2,
        year=page.year,
        rows=rows,
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", page.city.slug).strip("-")
    return f"kpi-template-{slug}-{page.year}.xlsx", content
