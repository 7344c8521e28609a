"""Symbolic reverse-mode differentiation: ``gradients`` and ``hessians``.

``gradients(ys, xs)`` adds the gradient computation to the same graph, under a ``gradients/``
name scope with one ``<op>_grad`` scope per op, and returns one tensor per x (None where no path
leads from x to ys). Because every rule emits ordinary ops, differentiating a gradient again
works the same way; that is all ``hessians`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops.array_ops import getitem, ones_like, reshape, stack, zeros_like
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register


def _np_add_n(*values):
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _add_n_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [g if need else None for need in needs]


ADD_N = register(OpDef("AddN", _np_add_n, lambda s, a: s[0], _add_n_grad, elementwise=True))


def add_n(inputs: Sequence[Tensor], name: str | None = None) -> Tensor:
    """The sum of same-shaped tensors (how gradients arriving along several paths are joined)."""
    if len(inputs) == 1:
        return inputs[0]
    return make_op(ADD_N, list(inputs), name)


def _as_tensor_list(values: Any) -> list[Tensor]:
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    out = []
    for value in values:
        element = getattr(value, "_as_graph_element", None)
        out.append(element() if element is not None else convert_to_tensor(value))
    return out


def gradients(
    ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients"
) -> list[Tensor | None]:
    """d(sum of ys)/dx for each x in xs, as new graph tensors (TF1's ``tf.gradients``).

    Gradients reaching a tensor along several paths are added; ``grad_ys`` (default: ones shaped
    like each y) weights each y.
    """
    y_list = _as_tensor_list(ys)
    x_list = _as_tensor_list(xs)
    if grad_ys is None:
        grad_list: list[Any] = [None] * len(y_list)
    else:
        grad_list = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
    graph = y_list[0].graph
    x_set = set(x_list)
    between = _ops_between(y_list, x_set)
    with graph.as_default(), graph.name_scope(name):
        pending: dict[Tensor, list[Tensor]] = {}
        for i, (y, gy) in enumerate(zip(y_list, grad_list, strict=True)):
            gy = ones_like(y, name=f"grad_ys_{i}") if gy is None else convert_to_tensor(gy, y.dtype)
            pending.setdefault(y, []).append(gy)
        for op in sorted(between, reverse=True):
            incoming = pending.get(op.outputs[0]) if op.outputs else None
            if not incoming or op.op_def.grad is None:
                continue
            needs = [t.dtype.is_floating and (t in x_set or t.op in between) for t in op.inputs]
            if not any(needs):
                continue
            g = _aggregate(incoming)
            with graph.name_scope(op.name + "_grad"):
                in_grads = op.op_def.grad(op, g, needs)
            for tensor, need, grad in zip(op.inputs, needs, in_grads, strict=True):
                if need and grad is not None:
                    pending.setdefault(tensor, []).append(grad)
        return [_aggregate(pending[x]) if pending.get(x) else None for x in x_list]


def _aggregate(grads: list[Tensor]) -> Tensor:
    return grads[0] if len(grads) == 1 else add_n(grads)


def _ops_between(ys: list[Tensor], x_set: set[Tensor]) -> set[Operation]:
    """Ops on some path from an x to a y: the only ones whose gradients are needed."""
    reachable: set[Operation] = set()
    stack_ = [y.op for y in ys]
    while stack_:
        op = stack_.pop()
        if op in reachable:
            continue
        reachable.add(op)
        stack_.extend(t.op for t in op.inputs)
    depends: set[Operation] = set()
    for op in sorted(reachable):  # creation order is a topological order
        if any(t in x_set or t.op in depends for t in op.inputs):
            depends.add(op)
    return depends


def hessians(ys: Any, xs: Any, name: str = "hessians") -> list[Tensor]:
    """For each x, the matrix of second derivatives of sum(ys) w.r.t. x (TF1's ``tf.hessians``).

    The result for an x of shape S has shape S + S. x's size must be known when the graph is
    built, since one gradient is taken per element.
    """
    x_list = _as_tensor_list(xs)
    results = []
    for x in x_list:
        (grad,) = gradients(ys, x, name=name)
        if grad is None:
            results.append(None)
            continue
        n = x.shape.num_elements()
        if n is None:
            raise ValueError(f"hessians needs a statically known shape for {x.name!r}")
        if x.shape.dims == ():
            (second,) = gradients(grad, x, name=name)
            results.append(second if second is not None else zeros_like(x))
            continue
        flat = reshape(grad, [-1])
        rows = []
        for i in range(n):
            (row,) = gradients(getitem(flat, i), x, name=name)
            rows.append(reshape(row if row is not None else zeros_like(x), [-1]))
        results.append(reshape(stack(rows), list(x.shape.dims) * 2))  # type: ignore[arg-type]
    return results
