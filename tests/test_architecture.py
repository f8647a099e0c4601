"""The package keeps its shape: layers that import only downwards, small modules, no circles.

docs/architecture.md draws the layers; these checks keep the drawing true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "simulation"
# each layer may import only its own and lower layers (top first)
LAYERS = [
    {"simulation", "simulation.__main__", "simulation.compare", "simulation.calibrate",
     "simulation.collect", "simulation.sensitivity", "simulation.plot", "simulation.dashboard"},
    {"simulation.apps"},
    {"simulation.figures"},
    {"simulation.analysis"},
    {"simulation.runs"},
    {"simulation.model"},
    {"simulation.config", "simulation.data"},
    {"simulation.io", "simulation.errors", "simulation.timeline"},
]
MAX_LINES = 400
MAX_TOP_MODULES = 10


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names imported from it) of every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names]))
    return out


def _layer(module: str) -> int:
    best = None
    for i, names in enumerate(LAYERS):
        for n in names:
            if (module == n or module.startswith(n + ".")) and (
                    best is None or len(n) > len(best[1])):
                best = (i, n)
    assert best is not None, module
    return best[0]


MODULES = _modules()


def test_few_modules_at_the_top_and_none_too_long():
    top = [p for p in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_MODULES, sorted(p.name for p in top)
    long = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    assert not {n: k for n, k in long.items() if k > MAX_LINES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_and_take_no_private_names(module):
    for target, names in _imports(MODULES[module]):
        if not target.startswith("simulation"):
            assert not target.startswith("hydra._internal") or module == \
                "simulation.config.compose", f"{module} imports {target}"
            continue
        assert _layer(target) >= _layer(module), f"{module} imports {target} (upwards)"
        assert not [n for n in names if n.startswith("_")], f"{module}: {target} {names}"


def test_no_import_circle():
    graph = {m: {t for t, names in _imports(p) for t in [t, *(f"{t}.{n}" for n in names)]
                 if t in MODULES and t != m}
             for m, p in MODULES.items()}
    graph = {m: {t for t in ts if not m.startswith(t + ".") and t != "simulation"}
             for m, ts in graph.items()}  # a module's own packages' faces are not edges
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in graph[m]:
            if state.get(t) == 1:
                raise AssertionError(" -> ".join([*path[path.index(t):], t]))
            if t not in state:
                visit(t, [*path, t])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])
