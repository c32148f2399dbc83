"""Projects: formulation from a gap or a template, cash flows, stages and the pipeline."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages and its workbook import on ``app``."""
    from app.imports import add_import_kind
    from app.projects import pipeline_views, views
    from app.projects.workbook import PROJECTS

    app.register_blueprint(views.bp)
    app.register_blueprint(pipeline_views.bp)
    add_import_kind(
        app,
        PROJECTS,
        "Import a project's edited workbook (downloaded from /projects/<id>.xlsx) back: "
        "changed fields and cash flows are saved; the same workbook again changes nothing.",
    )
