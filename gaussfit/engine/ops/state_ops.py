"""Ops that read or change state: variables and assignments.

A variable's value lives in the ``Session``, not in the graph. Stateful ops return their output
together with the new values of the variables they change; the session applies those writes when
the ``run`` ends, so every read in one ``run`` sees the variables as they were at its start (and
``run([minimize_op, loss])`` reports the loss before the step, as TF1 does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.graph import Tensor
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.shapes import TensorShape


def _second_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return shapes[0]


def _np_assign(ref: np.ndarray | None, value: np.ndarray):
    return value, {0: value}


def _np_assign_add(ref: np.ndarray, delta: np.ndarray):
    new = np.add(ref, delta)
    return new, {0: new}


def _np_assign_sub(ref: np.ndarray, delta: np.ndarray):
    new = np.subtract(ref, delta)
    return new, {0: new}


VARIABLE = register(
    OpDef(
        "VariableV2",
        None,
        lambda s, a: a["shape"],
        None,
        dtype=lambda t, i, a: a["dtype"],
        kind="variable",
    )
)
ASSIGN = register(
    OpDef("Assign", _np_assign, _second_shape, None, kind="stateful", ref_inputs=(0,))
)
ASSIGN_ADD = register(
    OpDef("AssignAdd", _np_assign_add, _second_shape, None, kind="stateful", ref_inputs=(0,))
)
ASSIGN_SUB = register(
    OpDef("AssignSub", _np_assign_sub, _second_shape, None, kind="stateful", ref_inputs=(0,))
)


def _check_value(ref: Tensor, value: Tensor, what: str) -> None:
    if value.dtype != ref.dtype:
        raise TypeError(
            f"{what}: value {value.name!r} has dtype {value.dtype.name} but variable "
            f"{ref.op.name!r} has dtype {ref.dtype.name}"
        )
    if (
        value.shape.dims is not None
        and ref.shape.dims is not None
        and not (
            TensorShape(value.shape.dims) == ref.shape or any(d is None for d in value.shape.dims)
        )
    ):
        raise ValueError(
            f"{what}: shape {value.shape} of {value.name!r} does not match the shape "
            f"{ref.shape} of variable {ref.op.name!r}"
        )


def _target(ref: Any) -> Tensor:
    """The variable's own tensor (``VariableV2``) from a variable or that tensor."""
    inner = getattr(ref, "_ref", None)
    target = inner if inner is not None else ref
    if not isinstance(target, Tensor) or target.op.op_def.kind != "variable":
        raise TypeError(f"{ref!r} is not a variable: only variables can be assigned")
    return target


def _write(op_def: OpDef, ref: Any, value: Any, name: str | None, what: str) -> Tensor:
    target = _target(ref)
    with target.graph.as_default():
        tensor = convert_to_tensor(value, dtype=target.dtype)
        _check_value(target, tensor, what)
        return make_op(op_def, [target, tensor], name or op_def.type)


def assign(ref: Any, value: Any, validate_shape: Any = None, use_locking: Any = None, name=None):
    """An op writing ``value`` into the variable ``ref`` (applied when its ``run`` ends, or
    seen at once by reads ordered after it with ``control_dependencies``); yields ``value``."""
    return _write(ASSIGN, ref, value, name, "assign")


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Tensor:
    """An op adding ``value`` to the variable ``ref``; yields the new value."""
    return _write(ASSIGN_ADD, ref, value, name, "assign_add")


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Tensor:
    """An op subtracting ``value`` from the variable ``ref``; yields the new value."""
    return _write(ASSIGN_SUB, ref, value, name, "assign_sub")
