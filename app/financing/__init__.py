"""Financing plans: a project's sources and uses per year, loans, DSCR, LLCR and the
city's affordability, edited on the project and kept with each appraisal run."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the plan's page, and its chart and labels for the project and run pages."""
    from app.financing import views
    from app.financing.charts import sources_uses_chart
    from app.financing.plan import SOURCE_LABELS, USE_LABELS

    app.register_blueprint(views.bp)
    app.jinja_env.globals |= {
        "financing_chart": sources_uses_chart,
        "financing_source_labels": SOURCE_LABELS,
        "financing_use_labels": USE_LABELS,
    }
