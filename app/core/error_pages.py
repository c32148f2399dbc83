"""One place that maps domain errors to HTTP answers: a clear message, never a 500 page."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.core.errors import ServiceError
from app.core.extensions import db
from appraisal.errors import AppraisalError
from matching.errors import MatchingError


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/health")) or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, title: str, message: str, *, errors=None, headers=None):
    """The error page, or for the API and JSON clients an RFC 9457 problem document
    (``errors``: the fields at fault and what is wrong with each)."""
    if wants_json():
        problem = {"type": "about:blank", "title": title, "status": status, "detail": message}
        problem["instance"] = request.path
        if errors:
            problem["errors"] = errors
        response = jsonify(problem)
        response.status_code = status
        response.mimetype = "application/problem+json"
        response.headers.extend(headers or {})
        return response
    page = render_template("error.html", status=status, title=title, message=message)
    return page, status, headers or {}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        titles = {
            400: "Invalid input",
            401: "Not signed in",
            403: "Not allowed",
            404: "Not found",
            409: "Conflict",
            422: "Some fields are refused",
        }
        field = getattr(error, "field", None)
        return render_error(
            error.status,
            titles.get(error.status, "Error"),
            error.message,
            errors=getattr(error, "errors", None) or ({field: [error.message]} if field else None),
            headers=getattr(error, "headers", None),
        )

    @app.errorhandler(AppraisalError)
    def appraisal_error(error: AppraisalError):
        return render_error(422, "The appraisal cannot be computed", str(error))

    @app.errorhandler(MatchingError)
    def matching_error(error: MatchingError):
        return render_error(422, "The match cannot be computed", str(error))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            "The form's security token is missing or expired",
            f"{error.description} Reload the page and submit the form again; nothing was saved.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            limit = getattr(error, "limit", None)  # flask-limiter's, if the route says why
            if limit is not None and limit.error_message:
                return render_error(429, "Too many requests", error.description or "")
            message = (
                "Too many attempts in a short time. Wait a minute, then try again "
                f"(limit: {error.description})."
            )
            return render_error(429, "Too many requests", message)
        if error.code == 413:
            return render_error(
                413,
                "The upload is too large",
                "Files of KPI values may be up to 20 MB, and a form without a file up to "
                "500 kB. Split the file (for example one per city or per year) and upload each "
                "part; nothing was saved.",
            )
        # webargs (the API's request parsing) puts the fields at fault in ``data``.
        errors = (getattr(error, "data", None) or {}).get("messages")
        detail = error.description or ""
        if errors and error.code == 422:
            detail = "The request has invalid fields; see errors, fix them and send it again."
        return render_error(error.code or 500, error.name, detail, errors=errors)

    @app.errorhandler(StaleDataError)
    def stale_row(error: StaleDataError):
        db.session.rollback()
        return render_error(
            409,
            "Conflict",
            "This record was saved by someone else at the same moment; nothing of yours was "
            "written. Reload the page and make your change again.",
        )

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        db.session.rollback()
        if "locked" not in str(error.orig).lower():
            return unexpected(error)
        return render_error(
            503,
            "The database is busy",
            "Another save held the database for too long; nothing of yours was written. "
            "Try again in a moment.",
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # pragma: no cover - the safety net
        app.logger.exception("unexpected error")
        return render_error(
            500,
            "Something went wrong",
            "The error was logged. Nothing half-done was saved; try again or tell the team.",
        )
