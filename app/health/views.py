"""Health check for load balancers and `make run`."""

from __future__ import annotations

from flask import Blueprint, jsonify

from app.health.checks import check

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    report = check()
    return jsonify(report), 200 if report["status"] == "ok" else 503
