"""One loop over the data: elementwise chains ending in sums, compiled with numba.

Even with every buffer reused, a numpy program walks the data once per elementwise op: the
lab's step reads and writes its million points several times, while one loop computing
``d = x[i] - mu`` and adding ``d*d`` and ``d`` to two sums reads them once. When numba is
installed (the extra ``gaussfit[fast]``) ``fuse`` finds, in a lowered plan, the elementwise
nodes that are computed only to be summed, and replaces each group of sums over arrays of one
shape by one such loop, compiled by numba and cached on disk (``kernel_cache.py``), so a later
process loads it instead of compiling it again. Everything else stays as numpy code.

Fusing costs a numba import and a load or compilation, so only sums over arrays of at least
``FUSE_MIN_ELEMENTS`` are fused, and only when the work left pays for it (``schedule.py``): a
long training loop gets there, a single fit or a short loop does not.

The loop adds in blocks (vectorised within a block) and the block sums pairwise, so results
agree with the numpy program to about 1e-13 relative; elementary functions come from the C
library rather than numpy's own implementations and may differ in the last bit.
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gaussfit.engine.compiler import kernel_cache
from gaussfit.engine.compiler.nodes import Lowered, Node, Shape, Write

FUSE_MIN_ELEMENTS = 1 << 16
"""Only arrays at least this large are worth a loop of their own."""

FUSE_AFTER_SECONDS: float | None = None
"""None: fuse when it pays (``schedule.py``). A number replaces that rule by a fixed one, fuse
once the program has run this many seconds, compiling in the process and keeping the fused
program whatever its speed (tests use 0, benchmarks of the numpy program infinity)."""

BLOCK = 4096
"""Elements added per block: small enough that rounding within a block stays tiny."""

_EXPRESSIONS = {
    "Add": "({0} + {1})",
    "Sub": "({0} - {1})",
    "Mul": "({0} * {1})",
    "RealDiv": "({0} / {1})",
    "Neg": "(-{0})",
    "Square": "({0} * {0})",
    "Pow": "({0} ** {1})",
    "Abs": "abs({0})",
    "Exp": "math.exp({0})",
    "Expm1": "math.expm1({0})",
    "Log": "math.log({0})",
    "Log1p": "math.log1p({0})",
    "Atan": "math.atan({0})",
    "Sqrt": "math.sqrt({0})",
    "Lgamma": "math.lgamma({0})",
    "Erf": "math.erf({0})",
    "Erfc": "math.erfc({0})",
}
_REDUCTIONS = ("Sum", "SumOfSquares", "SumOfProducts")
_F64 = np.dtype(np.float64)


@functools.cache
def available() -> bool:
    """Whether numba can be imported (checked without importing it)."""
    return importlib.util.find_spec("numba") is not None


def fuse(lowered: Lowered) -> Lowered | None:
    """``lowered`` with each group of sums over same-shaped arrays computed by one numba
    loop, or None if there is nothing to fuse."""
    found = _groups(lowered)
    if found is None:
        return None
    groups, in_loop = found
    replaced: dict[Node, Node] = {}
    for sums in groups:
        replaced.update(_fused_group(sums, in_loop))
    calls = {item.inputs[0] for item in replaced.values()}
    for call in calls:  # a later loop may read an earlier loop's sums
        call.inputs = tuple(replaced.get(x, x) for x in call.inputs)
    return _rebuilt(lowered, replaced)


def kernel_sources(lowered: Lowered) -> list[str]:
    """The source of each loop ``fuse`` would compile for ``lowered`` (which stays as it is):
    what says, without numba, whether those loops are already in the disk cache."""
    found = _groups(lowered)
    if found is None:
        return []
    groups, in_loop = found
    return [_kernel_source(sums, *_loop_parts(sums, in_loop)) for sums in groups]


def _groups(lowered: Lowered) -> tuple[list[list[Node]], set[Node]] | None:
    """The groups of sums one loop each computes, and the nodes loops compute (None: no sums
    to fuse)."""
    consumers: dict[Node, list[Node]] = {n: [] for n in lowered.nodes}
    for node in lowered.nodes:
        for x in node.inputs:
            consumers[x].append(node)
    leaving = {n for n in lowered.fetches if n is not None} | {w.node for w in lowered.writes}
    reductions = {n for n in lowered.nodes if _is_reduction(n)}
    if not reductions:
        return None
    in_loop = _loop_nodes(lowered.nodes, consumers, reductions, leaving)
    groups: dict[tuple[int, Shape], list[Node]] = {}
    stage: dict[Node, int] = {}
    for node in lowered.nodes:  # a sum may not need another sum of its own loop
        level = max((stage[x] for x in node.inputs), default=0)
        stage[node] = level + 1 if node in reductions else level
        if node in reductions:
            groups.setdefault((stage[node], node.inputs[0].shape), []).append(node)  # type: ignore[arg-type]
    return list(groups.values()), in_loop


def _is_reduction(node: Node) -> bool:
    """A full float64 sum over large arrays of one shape."""
    if node.kind != "pure" or node.type not in _REDUCTIONS or node.dtype != _F64:
        return False
    if node.type == "Sum" and (node.attrs.get("axis") is not None or node.attrs.get("keepdims")):
        return False
    shape = node.inputs[0].shape
    return (
        shape is not None
        and len(shape) > 0
        and math.prod(shape) >= FUSE_MIN_ELEMENTS
        and all(x.shape == shape and x.dtype == _F64 for x in node.inputs)
    )


def _loop_nodes(
    nodes: list[Node], consumers: dict[Node, list[Node]], sums: set[Node], leaving: set[Node]
) -> set[Node]:
    """Elementwise nodes the loops can compute: every user is another such node or a sum
    (anything else needs the array itself, which then stays a numpy array)."""
    loop = {
        n
        for n in nodes
        if n.kind == "pure"
        and n.type in _EXPRESSIONS
        and n.dtype == _F64
        and n.shape is not None
        and n not in leaving
        and all(x.dtype == _F64 and (x.is_scalar or x.shape == n.shape) for x in n.inputs)
    }
    changed = True
    while changed:
        outside = {n for n in loop if any(c not in loop and c not in sums for c in consumers[n])}
        loop -= outside
        changed = bool(outside)
    return loop


def _fused_group(sums: list[Node], in_loop: set[Node]) -> dict[Node, Node]:
    """One loop computing ``sums``: a node calling it, and an item of its result per sum."""
    body, arrays, scalars = _loop_parts(sums, in_loop)
    kernel = _kernel(_kernel_source(sums, body, arrays, scalars))
    origin = sums[0].origin
    attrs = {"arrays": len(arrays)}
    call = Node("pure", "Fused", kernel, (*arrays, *scalars), attrs, None, _F64, origin)
    items = {}
    for index, total in enumerate(sums):
        item = Node("pure", "Item", None, (call,), {"index": index}, (), _F64, total.origin)
        items[total] = item
    return items


def _loop_parts(sums: list[Node], in_loop: set[Node]) -> tuple[list[Node], list[Node], list[Node]]:
    """The loop's nodes in dependency order, and the arrays and scalars it reads."""
    body: list[Node] = []
    arrays: list[Node] = []
    scalars: list[Node] = []
    seen: set[Node] = set()

    def visit(node: Node) -> None:
        if node in seen:
            return
        seen.add(node)
        if node in in_loop:
            for x in node.inputs:
                visit(x)
            body.append(node)
        elif node.is_scalar:
            scalars.append(node)
        else:
            arrays.append(node)

    for total in sums:
        for x in total.inputs:
            visit(x)
    return body, arrays, scalars


def _kernel_source(sums: list[Node], body: list[Node], arrays: list[Node], scalars: list[Node]):
    """The numba function's source: names are positions, so equal loops share one kernel."""
    names: dict[Node, str] = {}
    for k, node in enumerate(arrays):
        names[node] = f"x{k}"
    for k, node in enumerate(scalars):
        names[node] = f"s{k}"
    params = [*names.values()]
    types = ["DATA"] * len(arrays) + ["numba.float64"] * len(scalars)
    lines = [
        "import math",
        "",
        "import numba",
        "import numpy as np",
        "",
        "DATA = numba.types.Array(numba.float64, 1, 'C', readonly=True)  # also takes writable",
        f"SIGNATURE = numba.float64[:, ::1]({', '.join(types)})",
        "",
        "",  # compiled on import (or loaded from the disk cache), not at the first call
        '@numba.njit(SIGNATURE, cache=True, fastmath={"reassoc", "contract"}, error_model="numpy")',
        f"def kernel({', '.join(params)}):",
        "    n = x0.shape[0]",
        f"    blocks = (n + {BLOCK - 1}) // {BLOCK}",
        f"    partial = np.empty(({len(sums)}, blocks))",
        "    for block in range(blocks):",
        f"        start = block * {BLOCK}",
        f"        stop = min(start + {BLOCK}, n)",
    ]
    lines += [f"        r{k} = 0.0" for k in range(len(sums))]
    lines.append("        for i in range(start, stop):")
    for k, node in enumerate(arrays):
        lines.append(f"            e{k} = x{k}[i]")
        names[node] = f"e{k}"
    for k, node in enumerate(body):
        args = [names[x] for x in node.inputs]
        lines.append(f"            t{k} = {_EXPRESSIONS[node.type].format(*args)}")
        names[node] = f"t{k}"
    for k, total in enumerate(sums):
        operands = [names[x] for x in total.inputs]
        term = operands[0] if total.type == "Sum" else f"{operands[0]} * {operands[-1]}"
        lines.append(f"            r{k} += {term}")
    lines += [f"        partial[{k}, block] = r{k}" for k in range(len(sums))]
    lines.append("    return partial")
    return "\n".join(lines) + "\n"


_LOADED: dict[str, Callable[..., Any]] = {}


def _kernel(source: str) -> Callable[..., Any]:
    """The compiled kernel for ``source``, from this process, the disk cache, or numba."""
    key = kernel_cache.digest(source)
    kernel = _LOADED.get(key)
    if kernel is None:
        kernel_cache.write_kernel(source)
        kernel = _LOADED[key] = kernel_cache.load(key)
    return kernel


def call_kernel(kernel: Callable[..., Any], arrays: int, *values: Any) -> np.ndarray:
    """Run a fused loop: arrays as flat float64, scalars as floats; the sums of its blocks."""
    flat = [np.ravel(v) for v in values[:arrays]]
    numbers = [float(v) for v in values[arrays:]]
    return np.add.reduce(kernel(*flat, *numbers), axis=1)


def _rebuilt(lowered: Lowered, replaced: dict[Node, Node]) -> Lowered:
    """The plan with each fused sum replaced, in a dependency order, unused nodes dropped."""
    for node in lowered.nodes:
        node.inputs = tuple(replaced.get(x, x) for x in node.inputs)
    fetches = [None if n is None else replaced.get(n, n) for n in lowered.fetches]
    writes = [Write(w.variable, replaced.get(w.node, w.node), w.changes) for w in lowered.writes]
    order: list[Node] = list(lowered.inputs)
    placed = set(order)

    def place(node: Node) -> None:
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if current in placed:
                continue
            if expanded:
                placed.add(current)
                order.append(current)
                continue
            stack.append((current, True))
            stack.extend((x, False) for x in reversed(current.inputs) if x not in placed)

    for root in [n for n in fetches if n is not None] + [w.node for w in writes]:
        place(root)
    for index, node in enumerate(order):
        node.index = index
    return Lowered(order, lowered.inputs, fetches, writes)
