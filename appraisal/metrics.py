"""Discounting and rates of return: npv, irr, irr_all, mirr, xnpv, xirr, pmt, payback, bcr.

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.discounting.metrics`.
"""

from __future__ import annotations

from appraisal.discounting.metrics import *  # noqa: F403
from appraisal.discounting.metrics import __all__ as _metrics_all

__all__ = [*_metrics_all]
