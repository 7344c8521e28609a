"""Reductions (sum, mean, max, min, log-sum-exp) and the softmax family.

Sum's gradient broadcasts the incoming gradient back over the reduced axes (a view, not a copy);
mean's is the same divided by the count; max and min share the gradient equally among ties, as
TF1 does. ``reduce_logsumexp`` and the softmaxes are composites of other ops, so their gradients
need no rule of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops import math_ops
from gaussfit.engine.ops.array_ops import (
    broadcast_to,
    cast,
    expand_dims,
    reshape,
    shape_of,
    size,
    stop_gradient,
    where,
    zeros_like,
)
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.shapes import TensorShape, reduced


def _axis_tuple(axis: int | Sequence[int] | None) -> tuple[int, ...] | None:
    if axis is None:
        return None
    return (int(axis),) if isinstance(axis, (int, np.integer)) else tuple(int(a) for a in axis)


def _reduced_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return reduced(shapes[0], attrs["axis"], attrs["keepdims"])


def _grad_to_input_shape(op: Operation, g: Tensor) -> Tensor:
    """Broadcast a reduction's output gradient back to the input's shape."""
    axis, keepdims = op.attrs["axis"], op.attrs["keepdims"]
    if axis is not None and not keepdims:
        g = expand_dims(g, axis)
    return broadcast_to(g, shape_of(op.inputs[0]))


def _sum_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [_grad_to_input_shape(op, g)]


def _count(op: Operation) -> Any:
    """How many input elements went into each output element: static when shapes are known."""
    x, z = op.inputs[0], op.outputs[0]
    n_in, n_out = x.shape.num_elements(), z.shape.num_elements()
    if n_in is not None and n_out is not None:
        return float(n_in // max(n_out, 1))
    return math_ops.truediv(cast(size(x), x.dtype), cast(size(z), x.dtype))


def _mean_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [_grad_to_input_shape(op, math_ops.truediv(g, _count(op)))]


def _extremum_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x, z = op.inputs[0], op.outputs[0]
    z_full = _grad_to_input_shape(op, z)
    hits = cast(math_ops.equal(x, z_full), x.dtype)
    axis = op.attrs["axis"]
    ties = reduce_sum(hits, axis=axis, keepdims=True)
    return [math_ops.multiply(math_ops.truediv(hits, ties), _grad_to_input_shape(op, g))]


# ``dtype=x.dtype``: numpy would sum int32 as int64 and average integers as float64; TF keeps
# the input's type (an integer mean truncates).
def _np_sum(x: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _np_mean(x: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
    return np.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _np_max(x: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
    return np.max(x, axis=axis, keepdims=keepdims)


def _np_min(x: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
    return np.min(x, axis=axis, keepdims=keepdims)


SUM = register(OpDef("Sum", _np_sum, _reduced_shape, _sum_grad))
MEAN = register(OpDef("Mean", _np_mean, _reduced_shape, _mean_grad))
MAX = register(OpDef("Max", _np_max, _reduced_shape, _extremum_grad))
MIN = register(OpDef("Min", _np_min, _reduced_shape, _extremum_grad))


def _reduce(op_def: OpDef, x: Any, axis: Any, keepdims: Any, name: str | None, old: dict) -> Tensor:
    axis, keepdims = deprecated_axis_keywords(axis, keepdims, old)
    return make_op(
        op_def, [convert_to_tensor(x)], name, axis=_axis_tuple(axis), keepdims=bool(keepdims)
    )


def deprecated_axis_keywords(axis: Any, keepdims: Any, old: dict) -> tuple[Any, bool]:
    """TF1 code still passes ``reduction_indices`` for ``axis`` and ``keep_dims`` for
    ``keepdims``; accept either spelling (not both), as TF1 did."""
    unknown = set(old) - {"reduction_indices", "keep_dims"}
    if unknown:
        raise TypeError(f"unexpected keyword argument {sorted(unknown)[0]!r}")
    if old.get("reduction_indices") is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
        axis = old["reduction_indices"]
    if old.get("keep_dims") is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
        keepdims = old["keep_dims"]
    return axis, bool(keepdims)


def reduce_sum(
    x: Any, axis: Any = None, keepdims: Any = None, name: str | None = None, **old: Any
) -> Tensor:
    """Sum over ``axis`` (all axes when None); numpy's pairwise summation keeps it accurate."""
    return _reduce(SUM, x, axis, keepdims, name, old)


def reduce_mean(
    x: Any, axis: Any = None, keepdims: Any = None, name: str | None = None, **old: Any
) -> Tensor:
    return _reduce(MEAN, x, axis, keepdims, name, old)


def reduce_max(
    x: Any, axis: Any = None, keepdims: Any = None, name: str | None = None, **old: Any
) -> Tensor:
    return _reduce(MAX, x, axis, keepdims, name, old)


def reduce_min(
    x: Any, axis: Any = None, keepdims: Any = None, name: str | None = None, **old: Any
) -> Tensor:
    return _reduce(MIN, x, axis, keepdims, name, old)


def reduce_logsumexp(
    x: Any, axis: Any = None, keepdims: Any = None, name: str | None = None, **old: Any
) -> Tensor:
    """log(sum(exp(x))) without overflow: the max is subtracted first (and held constant for
    the gradient, which does not depend on it); an infinite max is replaced by 0, as TF1."""
    axis, keepdims = deprecated_axis_keywords(axis, keepdims, old)
    x = convert_to_tensor(x)
    from gaussfit.engine.graph import get_default_graph

    graph = x.graph
    with graph.as_default(), get_default_graph().name_scope(name or "ReduceLogSumExp"):
        raw_max = reduce_max(x, axis=axis, keepdims=True)
        shift = stop_gradient(where(math_ops.is_finite(raw_max), raw_max, zeros_like(raw_max)))
        total = math_ops.log(
            reduce_sum(math_ops.exp(math_ops.subtract(x, shift)), axis=axis, keepdims=keepdims)
        )
        if not keepdims:
            shift = reshape(shift, shape_of(total))
        return math_ops.add(total, shift)


def log_softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """logits minus their log-sum-exp along ``axis``: log-probabilities that sum to one."""
    logits = convert_to_tensor(logits)
    with logits.graph.as_default(), logits.graph.name_scope(name or "LogSoftmax"):
        return math_ops.subtract(logits, reduce_logsumexp(logits, axis=axis, keepdims=True))


def softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """exp(log_softmax(logits)): probabilities along ``axis``."""
    logits = convert_to_tensor(logits)
    with logits.graph.as_default(), logits.graph.name_scope(name or "Softmax"):
        return math_ops.exp(log_softmax(logits, axis=axis))
