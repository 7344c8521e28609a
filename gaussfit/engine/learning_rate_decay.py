"""Global steps and learning-rate schedules (TF1's ``tf.train.exponential_decay`` and the
``global_step`` helpers)."""

from __future__ import annotations

from typing import Any

from gaussfit.engine import dtypes
from gaussfit.engine.graph import Graph, Tensor, get_default_graph
from gaussfit.engine.graph_keys import GraphKeys
from gaussfit.engine.ops import math_ops
from gaussfit.engine.ops.array_ops import cast
from gaussfit.engine.ops.op_def import convert_to_tensor
from gaussfit.engine.variables import GLOBAL_VARIABLES, Variable


def exponential_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: str | None = None,
) -> Tensor:
    """learning_rate * decay_rate ** (global_step / decay_steps), the exponent floored when
    ``staircase``; computed in the learning rate's dtype (float32 for a Python float)."""
    graph = get_default_graph()
    with graph.name_scope(name or "ExponentialDecay") as scope:
        rate = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = rate.dtype
        steps = cast(convert_to_tensor(decay_steps), dtype)
        decay = cast(convert_to_tensor(decay_rate), dtype)
        p = math_ops.truediv(cast(global_step, dtype), steps)
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(rate, math_ops.pow(decay, p), name=scope)


def get_global_step(graph: Graph | None = None) -> Variable | None:
    """The graph's global step variable, or None."""
    found = (graph or get_default_graph()).get_collection(GraphKeys.GLOBAL_STEP)
    return found[0] if found else None


def create_global_step(graph: Graph | None = None) -> Variable:
    """A new int64 variable ``global_step`` starting at 0, not trainable."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return Variable(
            0,
            dtype=dtypes.int64,
            name="global_step",
            trainable=False,
            collections=[GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP],
        )


def get_or_create_global_step(graph: Graph | None = None) -> Variable:
    """The global step, created on first use."""
    return get_global_step(graph) or create_global_step(graph)
