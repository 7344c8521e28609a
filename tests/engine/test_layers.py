"""The engine's two layers: a core that never imports its compiler, and no import cycles.

The import graph is read from the source with ``ast`` (imports inside functions count; those
under ``if TYPE_CHECKING:`` do not, since they never run), so a cycle hidden in a function body
fails here as well as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import compiler_hook
from gaussfit.engine import plan as plan_module

ENGINE = Path(tf.__file__).resolve().parent
PACKAGE = "gaussfit.engine"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ENGINE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """The engine modules ``path`` imports, resolved to module names."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith(PACKAGE))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)  # type: ignore[arg-type]
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    return {m for m in found if m in MODULES}


GRAPH = {name: _imports(path) for name, path in MODULES.items()}
COMPILER = f"{PACKAGE}.compiler"


def _in_compiler(name: str) -> bool:
    return name == COMPILER or name.startswith(COMPILER + ".")


CORE = sorted(n for n in MODULES if not _in_compiler(n) and n != PACKAGE)


def test_the_module_list_covers_both_layers():
    assert f"{PACKAGE}.graph" in CORE and f"{PACKAGE}.session" in CORE
    assert f"{COMPILER}.codegen" in MODULES and f"{PACKAGE}.ops.nn_ops" in CORE


@pytest.mark.parametrize("module", CORE)
def test_the_core_never_imports_the_compiler_nor_the_front_door(module):
    bad = sorted(m for m in GRAPH[module] if _in_compiler(m) or m == PACKAGE)
    assert bad == [], f"{module} imports {bad}"


def test_the_door_imports_nothing_of_the_engine():
    assert GRAPH[f"{PACKAGE}.compiler_hook"] == set()


def test_the_import_graph_has_no_cycle():
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                walk(target)
        path.pop()
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            walk(module)


def _lab_losses() -> list[float]:
    x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    log_p = tf.reduce_sum(
        -0.5 * tf.log(2.0 * np.pi * sigma**2.0) - (x - mu) ** 2.0 / (2.0 * sigma**2.0)
    )
    step = tf.train.AdamOptimizer(0.05).minimize(-log_p)
    data = np.random.default_rng(3).normal(2.5, 1.5, 2000)
    losses = []
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(30):
            losses.append(session.run([step, log_p], {x: data})[1])
        plans = list(session._plans.values())
    return losses, any(p.programs for p in plans)


def test_the_switch_runs_everything_on_the_interpreter_with_the_same_results(monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)
    on, compiled = _lab_losses()
    tf.reset_default_graph()
    with compiler_hook.disabled():
        off, compiled_off = _lab_losses()
    assert compiled and not compiled_off
    np.testing.assert_allclose(on, off, rtol=1e-12)


def test_a_compiler_may_decline_and_the_plan_keeps_interpreting(monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)
    asked = []

    class Declining:
        def compile(self, plan, shapes, fuse=False):
            asked.append(shapes)

    monkeypatch.setattr(compiler_hook, "active", Declining())
    x = tf.placeholder(tf.float64, name="X")
    total = tf.reduce_sum(x * 2.0)
    with tf.Session() as session:
        results = [session.run(total, {x: np.arange(4.0)}) for _ in range(3)]
    assert results == [12.0] * 3
    assert asked == [((4,),)]  # asked once per shapes, then not again


def test_the_readme_lists_what_the_engine_has():
    readme = (ENGINE.parent.parent / "README.md").read_text()
    listed = readme.split("<!-- engine-names:start -->\n", 1)[1].split("<!-- engine-names:end -->")[
        0
    ]
    assert listed == tf.describe(), "regenerate it with gaussfit.engine.describe()"
