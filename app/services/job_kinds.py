"""Every job kind the platform runs; each calls into a service or the pure core."""

from __future__ import annotations

import time

from app.services import (
    appraisals,  # noqa: F401  (registers the "appraisal" kind)
    bundles,  # noqa: F401  (registers the "bundle" kind)
    match_all,  # noqa: F401  (registers the "match_all" kind)
    twinning,  # noqa: F401  (registers the "twinning_cohort" kind)
)
from app.services.jobs import job_kind


@job_kind("self_test")
def self_test(params: dict, progress) -> dict:
    """A tiny job that proves the machinery (used by tests and `usc jobs-check`)."""
    steps = int(params.get("steps", 3))
    for step in range(steps):
        time.sleep(float(params.get("pause", 0.0)))
        progress((step + 1) / steps, f"step {step + 1} of {steps}")
    if params.get("fail"):
        raise ValueError("asked to fail")
    return {"steps": steps, "result_url": params.get("result_url")}
