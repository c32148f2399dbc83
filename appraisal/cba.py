"""EU-CBA financial analysis, funding gap, sustainability and the verdict.

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.analysis.cba`.
"""

from __future__ import annotations

from appraisal.analysis.cba import *  # noqa: F403
from appraisal.analysis.cba import __all__ as _cba_all

__all__ = [*_cba_all]
