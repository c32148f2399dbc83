"""Status pages of long-running jobs."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template
from flask_login import current_user, login_required

from app.core.jobs import get_job
from app.models import JobStatus

bp = Blueprint("jobs", __name__)


@bp.get("/jobs/<job_id>")
@login_required
def status(job_id: str):
    job = get_job(current_user, job_id)
    if job.status is JobStatus.DONE and job.result_url:
        return redirect(job.result_url)
    return render_template("jobs/status.html", job=job)


@bp.get("/jobs/<job_id>.json")
@login_required
def status_json(job_id: str):
    job = get_job(current_user, job_id)
    return jsonify(
        id=job.id,
        kind=job.kind,
        status=job.status.value,
        progress=job.progress,
        message=job.message,
        error=job.error,
        result_url=job.result_url,
    )
