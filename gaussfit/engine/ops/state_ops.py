"""Ops that read or change state: variables, assignments and grouping.

A variable's value lives in the ``Session``, not in the graph. Stateful ops return their output
together with the new values of the variables they change; the session applies those writes when
the ``run`` ends, so every read in one ``run`` sees the variables as they were at its start (and
``run([minimize_op, loss])`` reports the loss before the step, as TF1 does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.graph import Operation, Tensor, get_default_graph
from gaussfit.engine.ops.op_def import OpDef, make_op, register
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
NO_OP = register(
    OpDef("NoOp", None, lambda s, a: TensorShape(()), None, kind="noop", has_output=False)
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


def assign(ref: Tensor, value: Tensor, name: str | None = None) -> Tensor:
    """Write ``value`` into the variable whose ``VariableV2`` output is ``ref``."""
    _check_value(ref, value, "assign")
    return make_op(ASSIGN, [ref, value], name or "Assign")


def assign_add(ref: Tensor, delta: Tensor, name: str | None = None) -> Tensor:
    _check_value(ref, delta, "assign_add")
    return make_op(ASSIGN_ADD, [ref, delta], name or "AssignAdd")


def assign_sub(ref: Tensor, delta: Tensor, name: str | None = None) -> Tensor:
    _check_value(ref, delta, "assign_sub")
    return make_op(ASSIGN_SUB, [ref, delta], name or "AssignSub")


def group(*inputs: Any, name: str | None = None) -> Operation:
    """One op that runs all ``inputs`` (TF1's ``tf.group``); running it returns None."""
    graph = get_default_graph()
    for item in inputs:
        if isinstance(item, (Tensor, Operation)):
            graph = item.graph
            break
    with graph.as_default():
        return no_op(name=name or "group_deps", control_inputs=list(inputs))


def no_op(name: str | None = None, control_inputs: Sequence[Any] = ()) -> Operation:
    from gaussfit.engine.graph import _op_of

    return make_op(NO_OP, [], name or "NoOp", control_inputs=[_op_of(x) for x in control_inputs])
