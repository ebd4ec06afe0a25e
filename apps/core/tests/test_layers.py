"""The code reads in one direction: no import cycles, `core` above the data plane, no module too long.

Imports are read with `ast`, function-level ones included, so a lazy import that hides a cycle
from Python's loader is still a cycle here.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOTS = ("apps", "project", "dataplane")
BASE_LAYER = "apps.core"
ABOVE_BASE = ("apps.datasets", "apps.dashboards")
MAX_LINES = 400


def source_files(base: Path):
    for root in ROOTS:
        for path in sorted((base / root).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(base: Path, path: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Modules of our tree that `module` imports anywhere in its body (an imported name that is a
    submodule counts as that submodule: `from apps.datasets import services`)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in known else origin for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph(base: Path) -> dict[str, set[str]]:
    paths = {module_name(base, path): path for path in source_files(base)}
    known = set(paths)
    return {
        module: imported_modules(ast.parse(path.read_text(), str(path)), module, path.name == "__init__.py", known)
        for module, path in paths.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_function_level_cycle(tmp_path):
    package = tmp_path / "apps" / "shop"
    package.mkdir(parents=True)
    (tmp_path / "project").mkdir()
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text("def enqueue():\n    from apps.shop.tasks import run\n")
    (package / "tasks.py").write_text("from . import services\n")
    (package / "models.py").write_text("import apps.shop.services\n")
    assert cycles(import_graph(tmp_path)) == [["apps.shop.services", "apps.shop.tasks"]]


def test_no_import_cycles_between_our_modules():
    assert cycles(import_graph(settings.BASE_DIR)) == []


def test_core_is_the_base_layer():
    graph = import_graph(settings.BASE_DIR)
    offending = {
        module: sorted(t for t in targets if t.startswith(ABOVE_BASE))
        for module, targets in graph.items()
        if module.startswith(BASE_LAYER) and ".tests" not in module
    }
    assert {module: targets for module, targets in offending.items() if targets} == {}


def test_no_module_passes_400_lines():
    long = {
        str(path.relative_to(settings.BASE_DIR)): lines
        for path in source_files(settings.BASE_DIR)
        if "tests" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
