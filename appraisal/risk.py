"""Sensitivity, switching values, tornado and Monte Carlo.

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.uncertainty.risk` and :mod:`appraisal.uncertainty.montecarlo`.
"""

from __future__ import annotations

from appraisal.uncertainty.montecarlo import *  # noqa: F403
from appraisal.uncertainty.montecarlo import __all__ as _montecarlo_all
from appraisal.uncertainty.risk import *  # noqa: F403
from appraisal.uncertainty.risk import __all__ as _risk_all

__all__ = [*_risk_all, *_montecarlo_all]
