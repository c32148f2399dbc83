"""Old import paths of modules that moved into subpackages keep working.

In 2026-12 the flat package was given subpackages by subject. The public modules of
docs/ARCHITECTURE.md (``metrics``, ``batch``, ``cashflows``, ``cba``, ``ppp``, ``risk``,
``bundles``) stay as real modules that re-export; every other old path, such as
``appraisal.parameters``, is served here: importing it gives the module at its new
path (the very same module object) with a DeprecationWarning naming that path.

>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", DeprecationWarning)
...     from appraisal.parameters import get_parameter_set
>>> get_parameter_set.__module__
'appraisal.analysis.parameters'
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings

#: Old module path -> its new home.
MOVED = {
    "appraisal.annuities": "appraisal.discounting.annuities",
    "appraisal.dated": "appraisal.discounting.dated",
    "appraisal.daycount": "appraisal.discounting.daycount",
    "appraisal.roots": "appraisal.discounting.roots",
    "appraisal.root_bounds": "appraisal.discounting.root_bounds",
    "appraisal.root_isolation": "appraisal.discounting.root_isolation",
    "appraisal.root_solve": "appraisal.discounting.root_solve",
    "appraisal.validation": "appraisal.discounting.validation",
    "appraisal.economic": "appraisal.analysis.economic",
    "appraisal.parameters": "appraisal.analysis.parameters",
    "appraisal.price_base": "appraisal.analysis.price_base",
    "appraisal.money": "appraisal.analysis.money",
    "appraisal.kpi_gaps": "appraisal.analysis.kpi_gaps",
    "appraisal.montecarlo": "appraisal.uncertainty.montecarlo",
    "appraisal.bundle_inputs": "appraisal.bundling.inputs",
    "appraisal.bundle_explain": "appraisal.bundling.explain",
    "appraisal.bundle_frontier": "appraisal.bundling.frontier",
}


class _MovedLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec):
        warnings.warn(
            f"{spec.name} moved to {self.target}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:
        """The module already ran at its new path."""


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Finds the old paths in :data:`MOVED` (and nothing else)."""

    def find_spec(self, fullname, path=None, target=None):
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _MovedLoader(new))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder())
