"""Random tensors and TF1's seeding rules.

A random op draws a new sample every time it runs, from a generator the session keeps for it,
so a stream starts afresh in every session. Its seeds follow TF1's ``get_seed``: with a graph
seed (``set_random_seed``) and no op seed, the op seed is the number of ops already in the
graph, so rebuilding the same program gives the same numbers; with only an op seed, the graph
seed is TF's default 87654321; with neither, the numbers differ on every run. The numbers are
numpy's (PCG64 seeded with the pair), not TensorFlow's bits.

Each op is TF1's composite: a standard draw (``RandomStandardNormal``, ``RandomUniform``,
``TruncatedNormal``) scaled and shifted by ordinary ops, so mean and stddev may be tensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine import dtypes
from gaussfit.engine.dtypes import DType
from gaussfit.engine.graph import Graph, Tensor, get_default_graph
from gaussfit.engine.ops import math_ops
from gaussfit.engine.ops.array_ops import _static_from_shape_tensor
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.shapes import TensorShape

DEFAULT_GRAPH_SEED = 87654321


def set_random_seed(seed: int | None) -> None:
    """Set the default graph's seed (TF1's ``tf.set_random_seed``)."""
    get_default_graph().seed = None if seed is None else int(seed)


def get_seed(op_seed: int | None, graph: Graph | None = None) -> tuple[int, int] | None:
    """The (graph seed, op seed) pair an op created now uses, or None for OS entropy."""
    graph = graph or get_default_graph()
    if graph.seed is not None:
        return graph.seed, len(graph) if op_seed is None else int(op_seed)
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, int(op_seed)
    return None


def _shape_tuple(shape: np.ndarray) -> tuple[int, ...]:
    return tuple(int(d) for d in np.reshape(shape, -1))


def _np_standard_normal(generator: np.random.Generator, shape: np.ndarray, dt: DType, seeds):
    return generator.standard_normal(_shape_tuple(shape)).astype(dt.numpy)


def _np_uniform(generator: np.random.Generator, shape: np.ndarray, dt: DType, seeds):
    return generator.random(_shape_tuple(shape)).astype(dt.numpy)


def _np_truncated(generator: np.random.Generator, shape: np.ndarray, dt: DType, seeds):
    """Standard normal draws, each redrawn until it lies within two standard deviations."""
    values = generator.standard_normal(_shape_tuple(shape))
    outside = np.abs(values) > 2.0
    while np.any(outside):
        values[outside] = generator.standard_normal(int(np.count_nonzero(outside)))
        outside = np.abs(values) > 2.0
    return values.astype(dt.numpy)


def _np_uniform_int(generator, shape: np.ndarray, low: np.ndarray, high: np.ndarray, dt, seeds):
    return generator.integers(low, high, _shape_tuple(shape)).astype(dt.numpy)


def _attr_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return attrs["static_shape"]


def _random(type_: str, forward: Any) -> OpDef:
    return register(
        OpDef(type_, forward, _attr_shape, None, dtype=lambda t, i, a: a["dt"], kind="random")
    )


STANDARD_NORMAL = _random("RandomStandardNormal", _np_standard_normal)
UNIFORM = _random("RandomUniform", _np_uniform)
TRUNCATED_NORMAL = _random("TruncatedNormal", _np_truncated)
UNIFORM_INT = _random("RandomUniformInt", _np_uniform_int)


def _draw(op_def: OpDef, shape: Any, dtype: DType, seed: Any, extra: Sequence[Tensor] = ()):
    target = convert_to_tensor(shape, dtype=dtypes.int32)
    graph = get_default_graph()
    return make_op(
        op_def,
        [target, *extra],
        op_def.type,
        dt=dtype,
        seeds=get_seed(seed, graph),
        static_shape=_static_from_shape_tensor(target),
    )


def _scaled(op_def: OpDef, shape, low, scale, dtype, seed, name: str) -> Tensor:
    """``low + scale * draw`` in a name scope, as TF1 builds it."""
    dt = dtypes.as_dtype(dtype)
    if not dt.is_floating:
        raise ValueError(f"Invalid dtype {dt.name} for a {name} draw: it must be a float")
    graph = get_default_graph()
    with graph.name_scope(name) as scope:
        low_t = convert_to_tensor(low, dtype=dt, name="mean" if op_def is not UNIFORM else "min")
        scale_t = convert_to_tensor(scale, dtype=dt, name="stddev")
        draw = _draw(op_def, shape, dt, seed)
        return math_ops.add(math_ops.multiply(draw, scale_t, name="mul"), low_t, name=scope)


def random_normal(
    shape: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = dtypes.float32,
    seed=None,
    name=None,
) -> Tensor:
    """Normal draws of the given shape (TF1's ``tf.random_normal``)."""
    return _scaled(STANDARD_NORMAL, shape, mean, stddev, dtype, seed, name or "random_normal")


def truncated_normal(
    shape: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = dtypes.float32,
    seed=None,
    name=None,
) -> Tensor:
    """Normal draws redrawn until within two standard deviations of the mean."""
    return _scaled(TRUNCATED_NORMAL, shape, mean, stddev, dtype, seed, name or "truncated_normal")


def random_uniform(
    shape: Any,
    minval: Any = 0,
    maxval: Any = None,
    dtype: Any = dtypes.float32,
    seed=None,
    name=None,
) -> Tensor:
    """Uniform draws in [minval, maxval) (maxval 1 for floats; required for integers)."""
    dt = dtypes.as_dtype(dtype)
    if dt.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dt.name}")
        graph = get_default_graph()
        with graph.name_scope(name or "random_uniform"):
            low = convert_to_tensor(minval, dtype=dt, name="min")
            high = convert_to_tensor(maxval, dtype=dt, name="max")
            return _draw(UNIFORM_INT, shape, dt, seed, [low, high])
    maxval = 1 if maxval is None else maxval
    graph = get_default_graph()
    with graph.name_scope(name or "random_uniform") as scope:
        low = convert_to_tensor(minval, dtype=dt, name="min")
        high = convert_to_tensor(maxval, dtype=dt, name="max")
        draw = _draw(UNIFORM, shape, dt, seed)
        width = math_ops.subtract(high, low, name="sub")
        return math_ops.add(math_ops.multiply(draw, width, name="mul"), low, name=scope)
