"""The layering rules of ARCHITECTURE.md, checked in a clean interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "flask_wtf", "flask_login", "app")


def modules_loaded_by(package: str) -> set[str]:
    code = (
        "import importlib, json, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("package", "sibling"), [("appraisal", "matching"), ("matching", "appraisal")]
)
def test_pure_package_loads_no_web_database_or_sibling(package, sibling):
    loaded = modules_loaded_by(package)
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & set(FORBIDDEN), f"{package} loaded {sorted(roots & set(FORBIDDEN))}"
    assert sibling not in roots


def test_ruff_bans_web_imports_in_pure_packages(tmp_path):
    config = ROOT / "pyproject.toml"
    text = config.read_text()
    for name in ("flask", "sqlalchemy", "wtforms"):
        assert f'"{name}".msg' in text
    assert '"matching".msg' in (ROOT / "appraisal" / "ruff.toml").read_text()
    assert '"appraisal".msg' in (ROOT / "matching" / "ruff.toml").read_text()
