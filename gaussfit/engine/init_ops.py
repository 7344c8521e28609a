"""Initializers for ``get_variable`` and ``layers``: objects called with a shape and dtype
that build the tensor a variable starts from (TF1's ``tf.*_initializer``).

The random ones build random ops, so a variable's starting value follows TF1's seeding rules
(``set_random_seed`` and the ``seed`` argument); ``glorot_uniform_initializer`` draws from
U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gaussfit.engine import dtypes
from gaussfit.engine.graph import Tensor
from gaussfit.engine.ops import random_ops
from gaussfit.engine.ops.op_def import constant


class Initializer:
    """Base class: ``initializer(shape, dtype)`` returns the starting tensor."""

    dtype: Any = None

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        raise NotImplementedError

    def _dtype(self, dtype: Any) -> dtypes.DType:
        return dtypes.as_dtype(dtype or self.dtype or dtypes.float32)


class Zeros(Initializer):
    def __init__(self, dtype: Any = None) -> None:
        self.dtype = dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self._dtype(dtype)
        return constant(np.zeros(tuple(shape), dt.numpy), name="zeros")


class Ones(Initializer):
    def __init__(self, dtype: Any = None) -> None:
        self.dtype = dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self._dtype(dtype)
        return constant(np.ones(tuple(shape), dt.numpy), name="ones")


class Constant(Initializer):
    """Every element ``value``, or ``value`` itself reshaped when it has as many elements."""

    def __init__(self, value: Any = 0, dtype: Any = None, verify_shape: bool = False) -> None:
        self.value = value
        self.dtype = dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dt = self._dtype(dtype)
        return constant(self.value, dtype=dt, shape=tuple(shape), name="Const")


class RandomNormal(Initializer):
    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed=None, dtype=None) -> None:
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return random_ops.random_normal(
            list(shape), self.mean, self.stddev, self._dtype(dtype), seed=self.seed
        )


class TruncatedNormal(RandomNormal):
    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return random_ops.truncated_normal(
            list(shape), self.mean, self.stddev, self._dtype(dtype), seed=self.seed
        )


class RandomUniform(Initializer):
    def __init__(self, minval: float = 0.0, maxval: float = 1.0, seed=None, dtype=None) -> None:
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return random_ops.random_uniform(
            list(shape), self.minval, self.maxval, self._dtype(dtype), seed=self.seed
        )


class GlorotUniform(Initializer):
    """U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)) (Xavier's initializer)."""

    def __init__(self, seed: Any = None, dtype: Any = None) -> None:
        self.seed, self.dtype = seed, dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = [int(d) for d in shape]
        receptive = math.prod(dims[:-2]) if len(dims) > 2 else 1
        fan_in = dims[-2] * receptive if len(dims) > 1 else (dims[0] if dims else 1)
        fan_out = dims[-1] * receptive if dims else 1
        limit = math.sqrt(6.0 / max(1.0, fan_in + fan_out))
        return random_ops.random_uniform(dims, -limit, limit, self._dtype(dtype), seed=self.seed)


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
random_uniform_initializer = RandomUniform
glorot_uniform_initializer = GlorotUniform
