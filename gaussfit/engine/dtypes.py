"""The element types a tensor can hold.

A small closed set, as in TF1: each ``DType`` pairs a user-facing name with its numpy dtype and
with the name TF uses in runtime messages (``float64`` is ``double`` there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DType:
    """An element type: ``float64``, ``float32``, the integers (``int8`` ... ``int64``,
    ``uint8``) or ``bool``."""

    name: str
    numpy: type
    message_name: str

    @property
    def as_numpy_dtype(self) -> type:
        return self.numpy

    @property
    def is_floating(self) -> bool:
        return self.name.startswith("float")

    @property
    def is_integer(self) -> bool:
        return self.name.startswith(("int", "uint"))

    @property
    def min(self) -> float:
        return limits(self)[0]

    @property
    def max(self) -> float:
        return limits(self)[1]

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def is_bool(self) -> bool:
        return self.name == "bool"

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"


float64 = DType("float64", np.float64, "double")
float32 = DType("float32", np.float32, "float")
int8 = DType("int8", np.int8, "int8")
int16 = DType("int16", np.int16, "int16")
int32 = DType("int32", np.int32, "int32")
int64 = DType("int64", np.int64, "int64")
uint8 = DType("uint8", np.uint8, "uint8")
bool_ = DType("bool", np.bool_, "bool")
string = DType("string", np.object_, "string")  # serialized summaries, as TF1's tf.string
double = float64

_ALL = (float64, float32, int8, int16, int32, int64, uint8, bool_)
_BY_NUMPY = {np.dtype(d.numpy): d for d in _ALL}
_BY_NAME = {d.name: d for d in _ALL} | {"double": float64, "float": float32, "string": string}


def as_dtype(value: object) -> DType:
    """Turn a DType, numpy dtype/type or name into a DType; a clear TypeError otherwise."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    try:
        found = _BY_NUMPY.get(np.dtype(value))  # type: ignore[call-overload]
    except TypeError:
        found = None
    if found is None:
        raise TypeError(f"Cannot convert {value!r} to a gaussfit.engine dtype")
    return found


def infer_dtype(value: object) -> DType:
    """The dtype TF1 gives a constant made from ``value``.

    numpy arrays and scalars keep their own dtype (float16 and other unsupported types are
    rejected); Python floats become float32, ints int32 and bools bool, as in TF1.
    """
    if isinstance(value, (np.ndarray, np.generic)):
        return as_dtype(value.dtype)
    array = np.asarray(value)
    if array.dtype == np.bool_:
        return bool_
    if np.issubdtype(array.dtype, np.integer):
        return int32
    if np.issubdtype(array.dtype, np.floating):
        return float32
    raise TypeError(f"Cannot convert {value!r} to a tensor")


def limits(dtype: DType) -> tuple[float, float]:
    """The smallest and largest values of a numeric dtype (``dtype.min``, ``dtype.max``)."""
    info = np.finfo(dtype.numpy) if dtype.is_floating else np.iinfo(dtype.numpy)
    return info.min, info.max
