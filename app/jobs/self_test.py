"""A tiny job that proves the machinery (used by the tests)."""

from __future__ import annotations

import time


def self_test(params: dict, progress) -> dict:
    """Count ``steps`` steps, pausing ``pause`` seconds each; fail when asked to."""
    steps = int(params.get("steps", 3))
    for step in range(steps):
        time.sleep(float(params.get("pause", 0.0)))
        progress((step + 1) / steps, f"step {step + 1} of {steps}")
    if params.get("fail"):
        raise ValueError("asked to fail")
    return {"steps": steps, "result_url": params.get("result_url")}
