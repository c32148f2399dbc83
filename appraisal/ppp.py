"""PPP value for money, availability payments, debt sculpting and cover ratios.

A stable import path of the public API (docs/ARCHITECTURE.md); the code lives in
:mod:`appraisal.finance.ppp`.
"""

from __future__ import annotations

from appraisal.finance.ppp import *  # noqa: F403
from appraisal.finance.ppp import __all__ as _ppp_all

__all__ = [*_ppp_all]
