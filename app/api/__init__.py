"""The JSON API under /api/v1: the same services as the pages, signed in by a personal
access token (``Authorization: Bearer <token>``), documented at /api/v1/openapi.json and
browsable at /api/v1/docs."""

from __future__ import annotations

from flask import Flask

from app.api.base import PREFIX

DESCRIPTION = (
    "Cities and their KPI values, projects with their cash flows, appraisal runs, bundles, "
    "opportunities and interests, and jobs. Every request carries a personal access token "
    "(create one at /account/tokens, or `usc token create`); the token acts with its "
    "user's role and nothing more. Errors are RFC 9457 problem documents. Money is in the "
    "currency and price base given beside it."
)


def init_app(app: Flask) -> None:
    """Register the API's resources, its documentation, the token pages and commands."""
    from app.api import cli, docs, token_views
    from app.api.appraisal_api import blp as appraisals
    from app.api.base import ProblemApi
    from app.api.bundle_api import blp as bundles
    from app.api.city_api import blp as cities
    from app.api.job_api import blp as jobs
    from app.api.partner_api import blp as partners
    from app.api.project_api import blp as projects

    app.config.setdefault("API_TITLE", "United Smart Cities API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION},
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "a personal access token from /account/tokens",
                    }
                }
            },
        },
    )
    api = ProblemApi(app)
    for blueprint in (cities, projects, appraisals, bundles, partners, jobs):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.register_blueprint(token_views.bp)
    app.cli.add_command(cli.token_command)
