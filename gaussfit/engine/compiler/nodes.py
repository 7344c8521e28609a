"""The nodes of a lowered plan: values with concrete shapes, and how those shapes follow.

``lowering.py`` translates a plan's ops into ``Node``s for one tuple of input shapes; unlike the
graph's static shapes, every node's shape is then concrete (or None where it depends on values,
as the target of a reshape computed from data would), which is what the rewrites in
``rewrite.py`` and the buffers of ``buffers.py`` need.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gaussfit.engine.graph import Operation
from gaussfit.engine.ops import array_ops
from gaussfit.engine.ops.op_def import OpDef
from gaussfit.engine.shapes import TensorShape

Shape = tuple[int, ...]


class Node:
    """One value of a lowered plan: a constant, an input, or an op applied to other nodes.

    ``shape`` is the concrete shape (None when it cannot be known before running) and
    ``origin`` the graph op the node was made for, named in error messages.
    """

    __slots__ = (
        "attrs",
        "dtype",
        "fn",
        "fresh",
        "index",
        "inputs",
        "kind",
        "origin",
        "shape",
        "type",
        "value",
    )

    def __init__(
        self,
        kind: str,
        type_: str,
        fn: Callable[..., Any] | None,
        inputs: tuple[Node, ...],
        attrs: dict[str, Any],
        shape: Shape | None,
        dtype: np.dtype,
        origin: Operation | None,
        value: Any = None,
        fresh: bool = True,
    ) -> None:
        self.index = -1
        self.kind = kind  # "const", "input", "pure" or "stateful"
        self.type = type_
        self.fn = fn
        self.inputs = inputs
        self.attrs = attrs
        self.shape = shape
        self.dtype = dtype
        self.origin = origin
        self.value = value
        self.fresh = fresh  # the value is a new array, never a view of an input

    @property
    def is_scalar(self) -> bool:
        return self.shape == ()

    def __repr__(self) -> str:
        return f"<Node v{self.index} {self.type} shape={self.shape}>"


class Write:
    """A variable write of a lowered plan: ``variable`` gets the value of ``node``; or, for a
    stateful op run as a whole (``changes`` true), ``node`` is that op and its forward rule
    returned the ``{input index: new value}`` to write."""

    __slots__ = ("changes", "node", "variable")

    def __init__(self, variable: Operation, node: Node, changes: bool) -> None:
        self.variable = variable
        self.node = node
        self.changes = changes


class Lowered:
    """A plan lowered for one tuple of input shapes: the nodes still needed, in order, and
    the writes to apply when the run ends, in op order."""

    def __init__(
        self, nodes: list[Node], inputs: list[Node], fetches: list[Node | None], writes: list[Write]
    ) -> None:
        self.nodes = nodes
        self.inputs = inputs
        self.fetches = fetches
        self.writes = writes


def infer_shape(op_def: OpDef, inputs: tuple[Node, ...] | list[Node], attrs: dict) -> Shape | None:
    """The concrete shape of the op's result, or None if it depends on values."""
    shapes = [x.shape for x in inputs]
    if any(s is None for s in shapes):
        return None
    try:
        if op_def.elementwise or op_def is array_ops.SELECT:
            return tuple(np.broadcast_shapes(*shapes))  # type: ignore[arg-type]
        target = _TARGET_RULES.get(op_def.type)
        if target is not None:
            return target(inputs)
        static = op_def.shape([TensorShape(s) for s in shapes], attrs)
    except (ValueError, TypeError, IndexError, KeyError):
        return None
    return tuple(static.dims) if static.is_fully_defined else None  # type: ignore[arg-type]


def const_shape(node: Node) -> Shape | None:
    if node.kind != "const":
        return None
    return tuple(int(d) for d in np.reshape(node.value, -1))


def _broadcast_target(inputs: list[Node]) -> Shape | None:
    target = const_shape(inputs[1])
    if target is None or tuple(np.broadcast_shapes(inputs[0].shape, target)) != target:
        return None
    return target


def _sum_to_shape_target(inputs: list[Node]) -> Shape | None:
    g, target = inputs[0].shape, const_shape(inputs[1])
    if target is None or len(target) > len(g):
        return None
    tail = g[len(g) - len(target) :]
    return target if all(t in (d, 1) for t, d in zip(target, tail, strict=True)) else None


def _reshape_target(inputs: list[Node]) -> Shape | None:
    target = const_shape(inputs[1])
    if target is None:
        return None
    size = math.prod(inputs[0].shape)
    known = math.prod(d for d in target if d != -1)
    if -1 in target:
        if known == 0 or size % known:
            return None
        target = tuple(size // known if d == -1 else d for d in target)
    return target if math.prod(target) == size else None


_TARGET_RULES: dict[str, Callable[[Any], Shape | None]] = {
    "BroadcastTo": _broadcast_target,
    "SumToShape": _sum_to_shape_target,
    "Reshape": _reshape_target,
    "StridedSliceGrad": lambda inputs: const_shape(inputs[0]),
}


def is_broadcast(node: Node) -> bool:
    return (
        node.type == "BroadcastTo" and node.shape is not None and node.inputs[0].shape is not None
    )


def sum_key(node: Node) -> tuple:
    """What identifies an array across two lowerings of one plan (see ``lowering.lower``)."""
    return (node.origin, node.type)
