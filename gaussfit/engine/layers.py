"""``tf.layers``: ``dense`` and ``dropout``, built from ``variable_scope`` and ``get_variable``
so that layers share weights the way TF1's reusable components do."""

from __future__ import annotations

from typing import Any

from gaussfit.engine import init_ops
from gaussfit.engine.errors import not_implemented
from gaussfit.engine.graph import Tensor
from gaussfit.engine.ops import control_flow_ops, math_ops, nn_ops
from gaussfit.engine.ops.array_ops import identity
from gaussfit.engine.ops.op_def import convert_to_tensor
from gaussfit.engine.variable_scope import get_variable, variable_scope

__all__ = ["dense", "dropout"]


def dense(
    inputs: Any,
    units: int,
    activation: Any = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = None,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
) -> Tensor:
    """activation(inputs @ kernel + bias) with variables ``<name>/kernel`` and ``<name>/bias``
    (``dense``, ``dense_1``, ... when unnamed); the kernel starts Glorot-uniform, the bias 0."""
    x = convert_to_tensor(inputs)
    if x.shape.dims is None or x.shape.dims[-1] is None:
        raise ValueError("The last dimension of the inputs to `Dense` should be defined.")
    with variable_scope(name, default_name="dense", reuse=reuse):
        kernel = get_variable(
            "kernel",
            [x.shape.dims[-1], units],
            dtype=x.dtype,
            initializer=kernel_initializer or init_ops.GlorotUniform(),
            trainable=trainable,
        )
        out = math_ops.matmul(x, kernel, name="MatMul")
        if use_bias:
            bias = get_variable(
                "bias",
                [units],
                dtype=x.dtype,
                initializer=bias_initializer or init_ops.Zeros(),
                trainable=trainable,
            )
            out = nn_ops.bias_add(out, bias)
        return activation(out) if activation is not None else out


def dropout(
    inputs: Any,
    rate: float = 0.5,
    noise_shape: Any = None,
    seed: int | None = None,
    training: Any = False,
    name: str | None = None,
) -> Tensor:
    """Dropout with ``rate`` while ``training`` (a Python bool or a bool tensor), else the
    inputs unchanged."""
    x = convert_to_tensor(inputs)
    if isinstance(training, bool):
        if not training:
            return x
        return nn_ops.dropout(x, rate=rate, noise_shape=noise_shape, seed=seed, name=name)
    return control_flow_ops.cond(
        training,
        lambda: nn_ops.dropout(x, rate=rate, noise_shape=noise_shape, seed=seed),
        lambda: identity(x),
        name=name or "dropout",
    )


def __getattr__(name: str):
    raise not_implemented("tf.layers", name)
