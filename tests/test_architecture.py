"""The shape of the house: layered imports without circles, one error hierarchy.

Every vnsign module sits on a layer; a module may import from its own layer or below,
never above ("no arrow up"), and the imports between modules form no circle. Imports
inside functions count too: they are how vnsign stays fast to start, not a way around
the layering. Imports under ``if TYPE_CHECKING:`` are type annotations only and count
for the layering but not for circles.
"""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "vnsign"

# Lowest first. A module's layer is the first entry that is it or a package above it.
LAYERS: list[tuple[str, ...]] = [
    ("vnsign._version", "vnsign.errors", "vnsign.attempt", "vnsign.timefmt",
     "vnsign.deadline", "vnsign.collector", "vnsign.tls_defaults", "vnsign.models",
     "vnsign.findings", "vnsign.policy"),
    ("vnsign.pdf", "vnsign.trust", "vnsign.settings"),
    ("vnsign.vn", "vnsign.metadata"),
    ("vnsign.validation",),
    ("vnsign.report_builder", "vnsign.verifier"),
    ("vnsign.gate",),
    ("vnsign.batch", "vnsign.render"),
    ("vnsign", "vnsign.__main__", "vnsign.cli", "vnsign.cli_options", "vnsign.cli_batch"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> int:
    best: tuple[int, int] | None = None  # (length of the match, layer)
    for index, names in enumerate(LAYERS):
        for name in names:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > best[0]:
                    best = (len(name), index)
    assert best is not None, f"{module} is on no layer: add it to LAYERS"
    return best[1]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(module: str) -> tuple[set[str], set[str]]:
    """(runtime imports, type-checking-only imports) of one module, vnsign's only."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    runtime: set[str] = set()
    typing_only: set[str] = set()

    def target(name: str) -> str | None:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        return name or None

    def visit(node: ast.AST, bucket: set[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for item in child.body:
                    visit_one(item, typing_only)
                for item in child.orelse:
                    visit_one(item, bucket)
                continue
            visit_one(child, bucket)

    def visit_one(node: ast.AST, bucket: set[str]) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found = target(alias.name)
                if found:
                    bucket.add(found)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found = target(f"{node.module}.{alias.name}") or target(node.module)
                if found:
                    bucket.add(found)
        visit(node, bucket)

    visit(tree, runtime)
    runtime.discard(module)
    typing_only.discard(module)
    return runtime, typing_only - runtime


GRAPH = {m: imports(m) for m in MODULES}


def test_no_arrow_up() -> None:
    upward = []
    for module, (runtime, typing_only) in sorted(GRAPH.items()):
        for dep in sorted(runtime | typing_only):
            if layer(dep) > layer(module):
                upward.append(f"{module} (layer {layer(module)}) imports {dep} "
                              f"(layer {layer(dep)})")
    assert not upward, "\n".join(upward)


def test_no_import_circle() -> None:
    edges = {m: {d for d in runtime if d != "vnsign"} for m, (runtime, _) in GRAPH.items()}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep):], dep])
            elif dep not in state:
                walk(dep, path)
        path.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            walk(module, [])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


def test_no_module_imports_the_package_face() -> None:
    """``from vnsign import __version__`` would tie every module to ``__init__``."""
    offenders = [m for m, (runtime, _) in GRAPH.items()
                 if "vnsign" in runtime and m not in ("vnsign.__main__",)]
    assert not offenders, offenders


def test_every_exception_derives_from_vnsign_error() -> None:
    import importlib

    from vnsign.errors import VnsignError

    found = []
    for module in sorted(MODULES):
        if module.endswith("__main__"):
            continue
        loaded = importlib.import_module(module)
        for name, value in vars(loaded).items():
            if inspect.isclass(value) and issubclass(value, Exception) and \
                    value.__module__ == module:
                found.append(value)
                assert issubclass(value, VnsignError), f"{module}.{name}"
    assert len(found) >= 6  # the errors module alone has six


def test_errors_are_exported() -> None:
    import vnsign
    from vnsign import errors

    for name in ("VnsignError", "UsageError", "TrustStoreError", "SettingsError",
                 "LedgerError", "WorkerStartError"):
        assert getattr(vnsign, name) is getattr(errors, name)
    assert vnsign.Finding is not None and vnsign.MetadataReport is not None


@pytest.mark.parametrize("argv", [["--help"], ["verify", "--help"]])
def test_python_dash_m(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "vnsign", *argv], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: vnsign")
