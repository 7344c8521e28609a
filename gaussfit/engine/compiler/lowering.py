"""Lowering a plan: its ops translated into nodes for known input shapes, rewritten on the way.

``lower(plan, shapes)`` walks the plan's ops in order and makes one node for each through
``Builder.apply``, which first tries the rewrite rules of ``rewrite.py`` and only then adds a
node; so rules compose (a rule may build new nodes, which are simplified in turn). The nodes
are a private copy of the computation: the user's graph is never changed. Nodes no fetch or
variable write needs are dropped at the end (dead code), and ``Builder.make`` merges nodes of
the same type with the same inputs and attributes (common subexpressions) and computes nodes
whose inputs are all constants (constant folding).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gaussfit.engine.compiler.nodes import (
    Lowered,
    Node,
    Shape,
    Write,
    infer_shape,
    is_broadcast,
    sum_key,
)
from gaussfit.engine.compiler.rewrite import RULES
from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops import array_ops, math_ops
from gaussfit.engine.ops.op_def import OpDef
from gaussfit.engine.plan import Plan, forward_attrs

FOLD_LIMIT_BYTES = 1 << 20
"""Constant folding keeps results up to this size (or as large as its inputs), no larger."""

_LOWERING_ROUNDS = 4


def lower(plan: Plan, shapes: tuple[Shape | None, ...]) -> Lowered:
    """Translate ``plan`` into nodes for inputs of the given shapes, rewriting as it goes.

    A sum is only rewritten (see ``rewrite._sum``) if that makes computing the summed array
    unnecessary; which arrays stay needed for other reasons is known only after lowering, so
    the plan is lowered again, keeping those sums as they were, until no rewrite opened an
    array that stayed needed (or a few rounds have passed).
    """
    keep: set[tuple] = set()
    for _ in range(_LOWERING_ROUNDS):
        builder = _lower_with(plan, shapes, Builder(keep_sums_of=set(keep)))
        needed = {sum_key(n) for n in builder.live if not n.is_scalar}
        opened_but_needed = needed & builder.distributed
        if not opened_but_needed:
            break
        keep |= opened_but_needed
    return builder.lowered  # type: ignore[return-value]


def _lower_with(plan: Plan, shapes: tuple[Shape | None, ...], builder: Builder) -> Builder:
    env: dict[Tensor, Node] = {}
    sources = [t.op for t in plan.feeds] + list(plan.var_reads)
    tensors = list(plan.feeds) + [op.outputs[0] for op in plan.var_reads]
    inputs = []
    for op, tensor, shape in zip(sources, tensors, shapes, strict=True):
        node = builder.add(Node("input", op.type, None, (), {}, shape, _dtype(tensor), op))
        env[tensor] = node
        inputs.append(node)
    writes: list[Write] = []
    for op in plan.ops:
        kind = op.op_def.kind
        if not op.outputs or op.outputs[0] in env:
            continue
        out = op.outputs[0]
        builder.origin = op
        if kind == "const":
            env[out] = builder.const(op.attrs["value"], _dtype(out))
        elif kind == "stateful":
            env[out] = builder.update(op, [env[t] for t in op.inputs], writes)
        else:
            node = builder.apply(
                op.op_def, [env[t] for t in op.inputs], op.attrs, _dtype(out), fresh=_fresh(op)
            )
            env[out] = node
    fetches = [env[leaf] if isinstance(leaf, Tensor) else None for leaf in plan.leaves]
    roots = [n for n in fetches if n is not None] + [w.node for w in writes]
    builder.live = _live(builder.nodes, roots, inputs)
    builder.lowered = Lowered(builder.live, inputs, fetches, writes)
    return builder


def _dtype(tensor: Tensor) -> np.dtype:
    return np.dtype(tensor.dtype.numpy)


_FRESH_TYPES = frozenset(
    {"Sum", "Mean", "Max", "Min", "Select", "Pack", "ConcatV2", "StridedSliceGrad"}
    | {"ZerosLike", "OnesLike", "Shape", "Size"}
)


def _fresh(op: Operation) -> bool:
    """Whether the op's forward rule always returns a new array (else it may return a view or
    the input itself: Identity, Reshape, BroadcastTo, slicing, ...)."""
    if op.type == "AddN":
        return len(op.inputs) > 1
    return op.op_def.elementwise or op.type in _FRESH_TYPES


def _live(nodes: list[Node], roots: list[Node], inputs: list[Node]) -> list[Node]:
    """The nodes the roots need, in creation order (which is dependency order)."""
    needed: set[Node] = set(inputs)
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in needed:
            continue
        needed.add(node)
        stack.extend(node.inputs)
    live = [n for n in nodes if n in needed]
    for index, node in enumerate(live):
        node.index = index
    return live


class Builder:
    """Makes nodes, applying the rewrite rules and merging duplicates."""

    def __init__(self, keep_sums_of: set[tuple] | None = None) -> None:
        self.nodes: list[Node] = []
        self.origin: Operation | None = None
        self._memo: dict[tuple, Node] = {}
        self.keep_sums_of = keep_sums_of or set()  # (origin, type) of arrays to sum as they are
        self.distributed: set[tuple] = set()  # arrays a sum was rewritten to look into
        self.live: list[Node] = []
        self.lowered: Lowered | None = None

    # -- making nodes -----------------------------------------------------------------------
    def add(self, node: Node) -> Node:
        self.nodes.append(node)
        return node

    def const(self, value: Any, dtype: np.dtype) -> Node:
        """A constant; small equal constants are one node."""
        array = np.asarray(value)
        key = None
        if array.size <= 16 and array.dtype != object:
            key = ("const", array.dtype.str, array.shape, array.tobytes())
            found = self._memo.get(key)
            if found is not None:
                return found
        node = self.add(Node("const", "Const", None, (), {}, array.shape, dtype, None, value))
        if key is not None:
            self._memo[key] = node
        return node

    def update(self, op: Operation, inputs: list[Node], writes: list[Write]) -> Node:
        """A stateful op: its output node, with its variable writes appended to ``writes``.

        An update that is plain arithmetic becomes that arithmetic (so a scalar step is a
        scalar expression) and a write of its result; any other runs as a whole and is never
        merged or folded.
        """
        variable = op.inputs[0].op
        if op.type == "Assign":
            new = inputs[1]
        elif op.type == "AssignAdd":
            new = self.op(math_ops.ADD, inputs[0], inputs[1])
        elif op.type == "AssignSub":
            new = self.op(math_ops.SUB, inputs[0], inputs[1])
        elif op.type == "ApplyGradientDescent":
            new = self.op(math_ops.SUB, inputs[0], self.op(math_ops.MUL, inputs[1], inputs[2]))
        else:
            shape = infer_shape(op.op_def, inputs, op.attrs)
            attrs = forward_attrs(op.attrs)
            dtype = inputs[0].dtype
            new = Node(
                "stateful", op.type, op.op_def.forward, tuple(inputs), attrs, shape, dtype, op
            )
            new.fresh = False
            writes.append(Write(op, self.add(new), changes=True))
            return new
        writes.append(Write(variable, new, changes=False))
        return new

    def apply(
        self,
        op_def: OpDef,
        inputs: list[Node],
        attrs: dict[str, Any],
        dtype: np.dtype | None = None,
        fresh: bool = True,
    ) -> Node:
        """The node for ``op_def`` applied to ``inputs``, after every rule that fits."""
        dtype = inputs[0].dtype if dtype is None else dtype
        if op_def.elementwise and any(is_broadcast(x) for x in inputs):
            lifted = self._read_through_broadcasts(op_def, inputs, attrs, dtype)
            if lifted is not None:
                return lifted
        rule = RULES.get(op_def.type)
        if rule is not None:
            found = rule(self, inputs, attrs, dtype)
            if found is not None:
                return found
        shape = infer_shape(op_def, inputs, attrs)
        return self.make(
            op_def.type, op_def.forward, inputs, forward_attrs(attrs), shape, dtype, fresh
        )

    def make(
        self,
        type_: str,
        fn: Callable[..., Any] | None,
        inputs: list[Node],
        attrs: dict[str, Any],
        shape: Shape | None,
        dtype: np.dtype,
        fresh: bool = True,
    ) -> Node:
        """A pure node as given: folded if its inputs are constants, merged if it exists."""
        if fn is not None and type_ != "BroadcastTo" and all(x.kind == "const" for x in inputs):
            folded = self._fold(fn, inputs, attrs, dtype)
            if folded is not None:
                return folded
        key = _memo_key(type_, fn, inputs, attrs)
        if key is not None:
            found = self._memo.get(key)
            if found is not None:
                return found
        node = self.add(Node("pure", type_, fn, tuple(inputs), attrs, shape, dtype, self.origin))
        node.fresh = fresh
        if key is not None:
            self._memo[key] = node
        return node

    def _fold(
        self, fn: Callable[..., Any], inputs: list[Node], attrs: dict[str, Any], dtype: np.dtype
    ) -> Node | None:
        """Compute a node of constants now; None if it fails (the run will report it) or if
        the result is much larger than its inputs (better computed when needed)."""
        try:
            with np.errstate(all="ignore"):
                value = fn(*[x.value for x in inputs], **attrs)
        except Exception:
            return None
        size = np.asarray(value).nbytes
        if size > FOLD_LIMIT_BYTES and size > sum(np.asarray(x.value).nbytes for x in inputs):
            return None
        if isinstance(value, np.ndarray):
            value.setflags(write=False)  # shared by every run: fetches get a copy
        return self.const(value, dtype)

    # -- helpers the rules use ------------------------------------------------------------------
    def op(self, op_def: OpDef, *inputs: Node, **attrs: Any) -> Node:
        return self.apply(op_def, list(inputs), attrs)

    def scalar(self, value: float, dtype: np.dtype) -> Node:
        return self.const(np.array(value, dtype=dtype), dtype)

    def broadcast_to(self, node: Node, shape: Shape) -> Node:
        if node.shape == shape:
            return node
        target = self.const(np.array(shape, dtype=np.int32), np.dtype(np.int32))
        fn = array_ops.BROADCAST_TO.forward
        return self.make("BroadcastTo", fn, [node, target], {}, shape, node.dtype, fresh=False)

    def _read_through_broadcasts(
        self, op_def: OpDef, inputs: list[Node], attrs: dict[str, Any], dtype: np.dtype
    ) -> Node | None:
        shape = infer_shape(op_def, inputs, attrs)
        if shape is None:
            return None
        sources = [x.inputs[0] if is_broadcast(x) else x for x in inputs]
        inner = self.apply(op_def, sources, attrs, dtype)
        if inner.shape is None:
            return None
        return self.broadcast_to(inner, shape)


def _memo_key(type_: str, fn: Any, inputs: list[Node], attrs: dict[str, Any]) -> tuple | None:
    key = (type_, id(fn), tuple(id(x) for x in inputs), tuple(sorted(attrs.items())))
    try:
        hash(key)
    except TypeError:  # e.g. a slice among the attributes: such nodes are not merged
        return None
    return key
