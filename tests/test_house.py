"""The house rules of docs/ARCHITECTURE.md, read from the source (nothing is imported).

- no import circle among the project's modules (every ``import`` counts, also those
  inside functions: a lazy import that dodges a circle is still a circle);
- no module over 400 lines;
- no folder with more than 15 modules beside its ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "appraisal", "matching")
CHECKED = (*PACKAGES, "tests", "benchmarks")
GENERATED = ("migrations",)  # Alembic revisions are generated, not written
MAX_LINES = 400
MAX_MODULES_PER_FOLDER = 15


def python_files(*tops: str) -> list[Path]:
    return sorted(
        path
        for top in tops
        for path in (ROOT / top).rglob("*.py")
        if not set(path.relative_to(ROOT).parts) & set(GENERATED)
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports, resolved to the longest known module name."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def known(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (known(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                whole = f"{base}.{alias.name}"
                found.add(whole if whole in modules else known(base))
    found.discard(None)
    found.discard(name)
    return found


def import_graph() -> nx.DiGraph:
    files = python_files(*PACKAGES)
    modules = {module_name(path) for path in files}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for path in files:
        graph.add_edges_from(
            (module_name(path), other) for other in imported_modules(path, modules)
        )
    return graph


def test_the_import_reader_sees_every_form_of_import(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    for name in ("__init__", "a", "b", "c", "sub/__init__", "sub/d"):
        (pkg / f"{name}.py").write_text("")
    (pkg / "a.py").write_text(
        "import pkg.b\nfrom pkg import c\nfrom .sub import d\n"
        "def f():\n    from pkg.sub.d import thing\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    modules = {module_name(path) for path in pkg.rglob("*.py")}
    assert imported_modules(pkg / "a.py", modules) == {"pkg.b", "pkg.c", "pkg.sub.d"}


def test_no_import_circle():
    graph = import_graph()
    assert graph.number_of_nodes() > 100  # the reader found the project
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not circles, f"import circles: {circles}"


@pytest.mark.parametrize("path", python_files(*CHECKED), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_at_most_400_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by subject"


def test_no_folder_is_crowded():
    folders: dict[Path, int] = {}
    for path in python_files(*CHECKED):
        if path.name != "__init__.py":
            folders[path.parent] = folders.get(path.parent, 0) + 1
    crowded = {
        str(f.relative_to(ROOT)): n for f, n in folders.items() if n > MAX_MODULES_PER_FOLDER
    }
    assert not crowded, f"folders with more than {MAX_MODULES_PER_FOLDER} modules: {crowded}"


def test_core_imports_no_feature_nor_the_factory():
    """The job runner in particular: kinds register from their features at app creation."""
    graph = import_graph()
    allowed = ("app.core", "app.models", "appraisal", "matching")
    for module in (n for n in graph if n.startswith("app.core")):
        strays = {n for n in graph.successors(module) if not n.startswith(allowed)}
        assert not strays, f"{module} imports {sorted(strays)}"


def test_no_feature_imports_another_features_views():
    graph = import_graph()
    for module, other in graph.edges:
        name = other.rsplit(".", 1)[-1]  # views, city_views; not reviews
        if other.startswith("app.") and (name == "views" or name.endswith("_views")):
            feature = other.split(".")[1]
            assert module.startswith((f"app.{feature}", "app.__init__")) or module == "app", (
                f"{module} imports the views of {feature}; call its services instead"
            )
