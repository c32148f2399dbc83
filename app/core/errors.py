"""Service-level errors; :mod:`app.core.error_pages` maps each to a status and a message."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class; ``status`` is the HTTP status the web layer answers with."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status = 400


class NotFound(ServiceError):
    status = 404


class PermissionDenied(ServiceError):
    status = 403


class Conflict(ServiceError):
    """A stale save: someone else changed the record since it was loaded."""

    status = 409


class SeedError(ServiceError):
    """A malformed seed file; the message names the file, row and column."""

    def __init__(self, path: str, row: int | None, column: str | None, problem: str):
        where = path
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}. Fix the file and run the seed again.")
        self.path, self.row, self.column, self.problem = path, row, column, problem


class NotAuthenticated(ServiceError):
    """No valid credentials: a missing, unknown, revoked or expired API token."""

    status = 401
    headers = {"WWW-Authenticate": 'Bearer realm="usc"'}
