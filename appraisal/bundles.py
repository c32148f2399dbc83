"""The capital budgeting optimiser (PuLP), its frontier and budget curve.

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.bundling.optimiser`.
"""

from __future__ import annotations

from appraisal.bundling.optimiser import *  # noqa: F403
from appraisal.bundling.optimiser import __all__ as _optimiser_all

__all__ = [*_optimiser_all]
