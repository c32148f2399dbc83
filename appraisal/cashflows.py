"""Yearly flows built from project inputs (escalation, real or nominal prices).

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.analysis.cashflows`.
"""

from __future__ import annotations

from appraisal.analysis.cashflows import *  # noqa: F403
from appraisal.analysis.cashflows import __all__ as _cashflows_all

__all__ = [*_cashflows_all]
