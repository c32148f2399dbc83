"""Vectorised npv_many and irr_many over (rows x periods) arrays.

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.discounting.batch`.
"""

from __future__ import annotations

from appraisal.discounting.batch import *  # noqa: F403
from appraisal.discounting.batch import __all__ as _batch_all

__all__ = [*_batch_all]
