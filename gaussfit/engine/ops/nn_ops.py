"""``tf.nn``: activations, losses and dropout, as TF1 courses use them.

``relu`` and ``l2_loss`` are ops with their own rules; the cross-entropies are composites of
log-softmax and elementwise ops (written in the numerically stable forms TF1 uses), so their
gradients, and the gradients of those, come from the rules of their parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.graph import Operation, Tensor, get_default_graph
from gaussfit.engine.ops import math_ops, random_ops, reduction_ops
from gaussfit.engine.ops.array_ops import (
    cast,
    one_hot,
    shape_of,
    stop_gradient,
    where,
    zeros_like,
)
from gaussfit.engine.ops.math_ops import sigmoid, softplus, tanh
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, graph_of, make_op, register
from gaussfit.engine.ops.reduction_ops import log_softmax, softmax
from gaussfit.engine.shapes import SCALAR, UNKNOWN, TensorShape

__all__ = [
    "bias_add",
    "dropout",
    "l2_loss",
    "log_softmax",
    "relu",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "softplus",
    "sparse_softmax_cross_entropy_with_logits",
    "tanh",
]


def _np_relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, np.zeros((), dtype=np.result_type(x)))


def _relu_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    # TF's ReluGrad: the gradient passes where the output is positive (not at 0).
    return [where(math_ops.greater(op.outputs[0], 0.0), g, zeros_like(g))]


def _np_l2_loss(x: np.ndarray) -> np.ndarray:
    flat = np.reshape(x, -1)
    return np.asarray(np.dot(flat, flat) / 2, dtype=np.result_type(x))


def _l2_loss_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [math_ops.multiply(op.inputs[0], g)]


RELU = register(OpDef("Relu", _np_relu, lambda s, a: s[0], _relu_grad, elementwise=True))
L2_LOSS = register(OpDef("L2Loss", _np_l2_loss, lambda s, a: SCALAR, _l2_loss_grad))


def _np_one_hot_like(labels: np.ndarray, logits: np.ndarray) -> np.ndarray:
    hot = np.equal(np.expand_dims(labels, -1), np.arange(np.shape(logits)[-1]))
    return hot.astype(np.result_type(logits))


def _one_hot_like_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    labels, logits = shapes
    if labels.dims is None:
        return UNKNOWN
    return TensorShape([*labels.dims, logits.dims[-1] if logits.dims else None])


ONE_HOT_LIKE = register(
    OpDef(
        "OneHotLike",
        _np_one_hot_like,
        _one_hot_like_shape,
        None,
        dtype=lambda t, inputs, a: inputs[1].dtype,
    )
)


def relu(features: Any, name: str | None = None) -> Tensor:
    """max(features, 0)."""
    return make_op(RELU, [convert_to_tensor(features)], name)


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """sum(t ** 2) / 2, the weight-decay term of TF1 courses."""
    return make_op(L2_LOSS, [convert_to_tensor(t)], name)


def _logits_and_labels(labels: Any, logits: Any) -> tuple[Tensor, Tensor]:
    logits_t = convert_to_tensor(logits)
    return convert_to_tensor(labels, dtype=logits_t.dtype), logits_t


def softmax_cross_entropy_with_logits_v2(
    labels: Any = None, logits: Any = None, axis: int = -1, name: str | None = None, dim=None
) -> Tensor:
    """-sum(labels * log_softmax(logits)) along ``axis``: one loss per row. Gradients flow
    into the labels too (``_v2``); wrap them in ``stop_gradient`` to stop that."""
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be given (by keyword, as TF1 requires)")
    graph = graph_of([labels, logits])
    with graph.as_default(), graph.name_scope(name or "softmax_cross_entropy_with_logits"):
        y, z = _logits_and_labels(labels, logits)
        axis = axis if dim is None else dim
        return math_ops.negative(
            reduction_ops.reduce_sum(math_ops.multiply(y, log_softmax(z, axis=axis)), axis=axis)
        )


def softmax_cross_entropy_with_logits(
    labels: Any = None, logits: Any = None, dim: int = -1, name: str | None = None, axis=None
) -> Tensor:
    """TF1's first version: as ``_v2`` but no gradient reaches the labels."""
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be given (by keyword, as TF1 requires)")
    graph = graph_of([labels, logits])
    with graph.as_default():
        labels = stop_gradient(convert_to_tensor(labels, dtype=convert_to_tensor(logits).dtype))
        return softmax_cross_entropy_with_logits_v2(
            labels=labels, logits=logits, axis=dim if axis is None else axis, name=name
        )


def sparse_softmax_cross_entropy_with_logits(
    labels: Any = None, logits: Any = None, name: str | None = None
) -> Tensor:
    """The softmax cross-entropy of integer class labels (one per row of ``logits``)."""
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be given (by keyword, as TF1 requires)")
    graph = graph_of([labels, logits])
    with graph.as_default(), graph.name_scope(name or "SparseSoftmaxCrossEntropyWithLogits"):
        logits_t = convert_to_tensor(logits)
        labels_t = convert_to_tensor(labels)
        if not labels_t.dtype.is_integer:
            raise TypeError(f"sparse labels must be integers, not {labels_t.dtype.name}")
        depth = logits_t.shape.dims[-1] if logits_t.shape.dims else None
        if depth is not None:
            hot = one_hot(labels_t, depth, dtype=logits_t.dtype)
        else:  # the class count is known only when the graph runs
            hot = make_op(ONE_HOT_LIKE, [labels_t, logits_t], "one_hot")
        return math_ops.negative(
            reduction_ops.reduce_sum(math_ops.multiply(hot, log_softmax(logits_t)), axis=-1)
        )


def sigmoid_cross_entropy_with_logits(
    _sentinel: Any = None, labels: Any = None, logits: Any = None, name: str | None = None
) -> Tensor:
    """Elementwise logistic loss in TF1's stable form max(x, 0) - x * z + log(1 + exp(-|x|)),
    written with one ``where`` on x >= 0 as TF1 does, so the gradient at x = 0 is exact."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("Only call sigmoid_cross_entropy_with_logits with named arguments")
    graph = graph_of([labels, logits])
    with graph.as_default(), graph.name_scope(name or "logistic_loss"):
        z, x = _logits_and_labels(labels, logits)
        zeros = zeros_like(x)
        non_negative = math_ops.greater_equal(x, zeros)
        relu_logits = where(non_negative, x, zeros)
        neg_abs_logits = where(non_negative, math_ops.negative(x), x)
        return math_ops.add(
            math_ops.subtract(relu_logits, math_ops.multiply(x, z)),
            math_ops.log1p(math_ops.exp(neg_abs_logits)),
        )


def dropout(
    x: Any,
    keep_prob: Any = None,
    noise_shape: Any = None,
    seed: int | None = None,
    name: str | None = None,
    rate: Any = None,
) -> Tensor:
    """Zero each element with probability ``rate`` (= 1 - ``keep_prob``) and scale the others
    by 1 / keep_prob, so the expected value is unchanged (TF1's ``tf.nn.dropout``)."""
    if (keep_prob is None) == (rate is None):
        raise ValueError("Give exactly one of keep_prob and rate")
    x_t = convert_to_tensor(x)
    graph = get_default_graph()
    with graph.as_default(), graph.name_scope(name or "dropout"):
        keep = (
            convert_to_tensor(keep_prob, dtype=x_t.dtype, name="keep_prob")
            if keep_prob is not None
            else math_ops.subtract(1.0, convert_to_tensor(rate, dtype=x_t.dtype, name="rate"))
        )
        target = shape_of(x_t) if noise_shape is None else noise_shape
        draw = random_ops.random_uniform(target, dtype=x_t.dtype, seed=seed)
        mask = cast(math_ops.greater_equal(math_ops.add(keep, draw), 1.0), x_t.dtype)
        result = math_ops.multiply(math_ops.truediv(x_t, keep), mask)
        result.set_shape(x_t.shape)
        return result


def bias_add(value: Any, bias: Any, data_format: Any = None, name: str | None = None):
    """value + bias, the bias added along the last axis."""
    return math_ops.add(value, bias, name=name or "BiasAdd")
