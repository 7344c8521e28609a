"""Which intermediate arrays of a compiled plan write into buffers kept between runs.

Allocating a fresh array per op per run is what makes a numpy graph slow on large data: above
a few tens of MiB every new temporary is fresh memory from the operating system, and touching it
costs as much as the arithmetic. A compiled plan knows every shape in advance, so it can own its
arrays: an elementwise numpy ufunc writes into a buffer (``out=``) allocated once and reused on
every later run. Within a run a buffer is handed on as soon as its value is dead (the last op
reading it, or any view of it, has run), like registers in a compiler.

A pooled value never leaves the run: fetched and written nodes always get fresh arrays, and a
fetched or written view of a buffer, or one handed to a stateful op (which may write it to a
variable), is copied.
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.engine.compiler.nodes import Lowered, Node

MIN_POOLED_ELEMENTS = 64
"""Smaller arrays are cheaper to allocate than to manage."""

_FOREVER = 1 << 62


class BufferPlan:
    """``slot_of[node]``: the buffer a node writes into; ``specs[slot]``: (shape, dtype);
    ``copy_on_exit``: nodes that may share memory with a buffer and leave the run (fetched,
    written, or read by a stateful op), so must be copied where they leave."""

    def __init__(self) -> None:
        self.slot_of: dict[Node, int] = {}
        self.specs: list[tuple[tuple[int, ...], np.dtype]] = []
        self.copy_on_exit: set[Node] = set()

    def allocate(self) -> tuple[np.ndarray, ...]:
        """One set of buffers (a plan run concurrently from two threads uses two sets)."""
        return tuple(np.empty(shape, dtype=dtype) for shape, dtype in self.specs)


def assign_buffers(lowered: Lowered) -> BufferPlan:
    """Choose the pooled nodes and give each a buffer, reusing buffers whose values are dead."""
    plan = BufferPlan()
    leaving = {n for n in lowered.fetches if n is not None} | {w.node for w in lowered.writes}
    pooled_set = {n for n in lowered.nodes if n not in leaving and _poolable(n)}
    aliases = _aliases(lowered.nodes, pooled_set)
    last_use: dict[Node, int] = {}
    for step, node in enumerate(lowered.nodes):
        for x in node.inputs:
            if node.kind == "stateful" and aliases[x]:
                plan.copy_on_exit.add(x)
            for owner in aliases[x]:
                last_use[owner] = max(last_use.get(owner, -1), step)
    for node in leaving:
        if aliases[node]:
            plan.copy_on_exit.add(node)
            for owner in aliases[node]:
                last_use[owner] = _FOREVER
    free: dict[tuple, list[int]] = {}
    busy: list[tuple[int, Node]] = []  # (last use, owner) of buffers in use
    for step, node in enumerate(lowered.nodes):
        still = []
        for end, owner in busy:  # a buffer read for the last time here may be written here
            if end <= step:
                free.setdefault(_spec_key(owner), []).append(plan.slot_of[owner])
            else:
                still.append((end, owner))
        busy = still
        if node not in pooled_set:
            continue
        key = _spec_key(node)
        slots = free.get(key)
        if slots:
            slot = slots.pop()
        else:
            slot = len(plan.specs)
            plan.specs.append((node.shape, node.dtype))  # type: ignore[arg-type]
        plan.slot_of[node] = slot
        busy.append((last_use.get(node, step), node))
    return plan


def _spec_key(node: Node) -> tuple:
    return (node.shape, node.dtype.str)


def _poolable(node: Node) -> bool:
    """An elementwise ufunc producing a float array of known shape from inputs of its dtype:
    then ``out=`` gives exactly the values numpy would have returned."""
    return (
        node.kind == "pure"
        and isinstance(node.fn, np.ufunc)
        and node.fn.nout == 1
        and not node.attrs
        and node.shape is not None
        and math.prod(node.shape) >= MIN_POOLED_ELEMENTS
        and node.dtype.kind == "f"
        and all(x.dtype == node.dtype for x in node.inputs)
    )


def _aliases(nodes: list[Node], pooled: set[Node]) -> dict[Node, frozenset[Node]]:
    """For each node, the pooled nodes whose buffers its value may share memory with."""
    out: dict[Node, frozenset[Node]] = {}
    for node in nodes:
        if node in pooled:
            out[node] = frozenset((node,))
        elif node.fresh or node.kind in ("const", "input"):
            out[node] = frozenset()
        else:
            out[node] = frozenset().union(*(out[x] for x in node.inputs))
    return out
