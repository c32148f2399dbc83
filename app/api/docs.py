"""The API's browsable documentation: Swagger UI served from the platform itself (the
swagger-ui-bundle package's files), reading /api/v1/openapi.json; no outside CDN."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

from app.api.base import PREFIX

bp = Blueprint("api_docs", __name__)

#: The bundle's files the page loads; nothing else of the folder is served.
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})


@bp.get(f"{PREFIX}/docs")
def page():
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))


@bp.get(f"{PREFIX}/docs/assets/<name>")
def asset(name: str):
    if name not in ASSETS:
        abort(404)
    return send_from_directory(str(swagger_ui_path), name, max_age=86400)
