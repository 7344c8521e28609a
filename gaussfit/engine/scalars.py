"""Scalars returned by ``Session.run`` that print as plain numbers.

Under NumPy 2 a list of numpy scalars prints as ``[np.float64(33.03)]``; TF1 under NumPy 1 printed
``[33.03]``, and the lab's printed output is what users compare with. These subclasses are
ordinary numpy scalars in every other respect (dtype, arithmetic, ``isinstance`` checks) and
carry numpy's own type names, so ``type(value).__name__`` is ``float32`` as under TF1.
"""

from __future__ import annotations

import numpy as np


class Float64(np.float64):
    def __repr__(self) -> str:
        return float.__repr__(float(self))


class Float32(np.float32):
    def __repr__(self) -> str:
        return str(self)


class Int32(np.int32):
    def __repr__(self) -> str:
        return str(int(self))


class Int64(np.int64):
    def __repr__(self) -> str:
        return str(int(self))


class Int16(np.int16):
    def __repr__(self) -> str:
        return str(int(self))


class Int8(np.int8):
    def __repr__(self) -> str:
        return str(int(self))


class UInt8(np.uint8):
    def __repr__(self) -> str:
        return str(int(self))


_DISPLAY = {
    np.dtype(np.float64): Float64,
    np.dtype(np.float32): Float32,
    np.dtype(np.int32): Int32,
    np.dtype(np.int64): Int64,
    np.dtype(np.int16): Int16,
    np.dtype(np.int8): Int8,
    np.dtype(np.uint8): UInt8,
}
for _dtype, _kind in _DISPLAY.items():
    _kind.__name__ = _kind.__qualname__ = _dtype.name
    _kind.__module__ = "numpy"


_DISPLAY_BY_TYPE = {dtype.type: kind for dtype, kind in _DISPLAY.items()}


def as_scalar(value: np.ndarray | np.generic) -> np.generic:
    """A 0-d result as a numpy scalar that prints like a Python number."""
    kind = _DISPLAY_BY_TYPE.get(type(value))  # already a numpy scalar: the common case
    if kind is not None:
        return kind(value)
    kind = _DISPLAY.get(np.dtype(value.dtype))
    if kind is None:
        return np.asarray(value)[()]
    return kind(np.asarray(value)[()])
