"""Jobs: the status of long work started through the API or the pages."""

from __future__ import annotations

from flask import Response, jsonify, url_for
from marshmallow import Schema, fields

from app.api.base import UtcDateTime, api_blueprint, api_user
from app.core.jobs import get_job

blp = api_blueprint("jobs", "The status of long work (large appraisals and optimisations)")


class JobSchema(Schema):
    id = fields.String(required=True)
    kind = fields.String()
    title = fields.String()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    progress = fields.Float(metadata={"description": "0 to 1"})
    message = fields.String()
    error = fields.String(allow_none=True)
    result = fields.Raw(allow_none=True)
    result_url = fields.String(allow_none=True, metadata={"description": "the page it made"})
    status_url = fields.Function(lambda job: url_for("api_jobs.get_job_status", job_id=job.id))
    created_at = UtcDateTime()
    started_at = UtcDateTime(allow_none=True)
    finished_at = UtcDateTime(allow_none=True)


def accepted(job) -> Response:
    """202 Accepted with the job, and where to follow it."""
    response = jsonify(JobSchema().dump(job))
    response.status_code = 202
    response.headers["Location"] = url_for("api_jobs.get_job_status", job_id=job.id)
    return response


@blp.get("/jobs/<job_id>")
@blp.response(200, JobSchema)
def get_job_status(job_id: str):
    """A job started by the token's user (staff: any job)."""
    return get_job(api_user(), job_id[:32])
