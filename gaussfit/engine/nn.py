"""``tf.nn``: activations, softmaxes, cross-entropies, the L2 loss and dropout."""

from gaussfit.engine.errors import not_implemented
from gaussfit.engine.ops.nn_ops import (
    bias_add,
    dropout,
    l2_loss,
    log_softmax,
    relu,
    sigmoid,
    sigmoid_cross_entropy_with_logits,
    softmax,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    softplus,
    sparse_softmax_cross_entropy_with_logits,
    tanh,
)

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


def __getattr__(name: str):
    raise not_implemented("tf.nn", name)
