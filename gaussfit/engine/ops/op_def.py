"""What an op type is, and how an op is added to a graph.

An ``OpDef`` keeps everything about one op type in one record: how to compute it (``forward``,
a numpy function), its static shape and dtype rules, and its gradient rule. Gradient rules are
written with the public op functions, so the gradient of a gradient is just more graph and
Hessians come for free.

A gradient rule has the signature ``grad(op, g, needs) -> list[Tensor | None]``: ``op`` is the
forward operation, ``g`` the gradient arriving at its output, and ``needs[i]`` says whether input
``i`` wants a gradient at all, so rules build no graph for inputs nobody asked about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gaussfit.engine import dtypes
from gaussfit.engine.dtypes import DType
from gaussfit.engine.graph import Graph, Operation, Tensor, get_default_graph
from gaussfit.engine.shapes import TensorShape

GradRule = Callable[[Operation, Tensor, Sequence[bool]], list[Any]]

REGISTRY: dict[str, OpDef] = {}


def _same_dtype(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    return inputs[0].dtype


@dataclass(frozen=True, eq=False)
class OpDef:
    """An op type: forward rule, shape rule, dtype rule and gradient rule side by side.

    ``kind`` tells the session how to run it: ``"pure"`` ops are ``forward(*inputs, **attrs)``;
    ``"stateful"`` ops return ``(output, {input_index: new_value})`` and their listed
    ``ref_inputs`` are variables whose new values are written when the ``run`` ends; the other
    kinds (``"const"``, ``"placeholder"``, ``"variable"``, ``"noop"``) are handled by the session.
    ``grad`` is ``None`` for ops that pass no gradient (comparisons, shapes, stop_gradient) and
    ``NO_RULE`` for ops whose gradient is not defined. ``"random"`` ops are
    ``forward(generator, *inputs, **attrs)`` with a generator the session keeps per op.
    ``compilable`` is False for ops a compiler should leave to the interpreter (control flow).
    """

    type: str
    forward: Callable[..., Any] | None
    shape: Callable[[Sequence[TensorShape], dict[str, Any]], TensorShape]
    grad: GradRule | None
    dtype: Callable[[str, Sequence[Tensor], dict[str, Any]], DType] = _same_dtype
    kind: str = "pure"
    ref_inputs: tuple[int, ...] = ()
    has_output: bool = True
    elementwise: bool = False
    compilable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def NO_RULE(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """Marker rule: raise TF's LookupError when a gradient is asked through this op."""
    raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")


def register(op_def: OpDef) -> OpDef:
    """Add an op type to the registry (one place to list every op the engine knows)."""
    if op_def.type in REGISTRY:
        raise ValueError(f"op type {op_def.type} registered twice")
    REGISTRY[op_def.type] = op_def
    return op_def


CONST = register(
    OpDef(
        "Const",
        None,
        lambda shapes, attrs: attrs["shape"],
        None,
        dtype=lambda op_type, inputs, attrs: attrs["dtype"],
        kind="const",
    )
)


def graph_of(values: Sequence[Any]) -> Graph:
    """The graph the inputs live in (the default graph when none is a tensor).

    Inside a ``cond`` or ``while_loop`` branch (a graph nested in another), tensors of the
    enclosing graphs count as the branch's own: the branch captures them as inputs.
    """
    default = get_default_graph()
    graph = None
    for value in values:
        tensor = _tensor_of(value)
        if tensor is None:
            continue
        found = default if default.encloses(tensor.graph) else tensor.graph
        if graph is None:
            graph = found
        elif found is not graph:
            raise ValueError(f"Tensor {tensor!r} must be from the same graph as the other inputs.")
    return graph if graph is not None else default


def _tensor_of(value: Any) -> Tensor | None:
    if isinstance(value, Tensor):
        return value
    convert = getattr(value, "_as_tensor", None)
    return convert() if convert is not None else None


def constant(
    value: Any, dtype: Any = None, shape: Sequence[int] | None = None, name: str = "Const"
):
    """A tensor whose value is fixed when the graph is built (TF1's ``tf.constant``).

    numpy arrays keep their dtype; Python floats default to float32 and ints to int32, as TF1.
    """
    dt = dtypes.infer_dtype(value) if dtype is None else dtypes.as_dtype(dtype)
    array = np.array(value, dtype=dt.numpy)
    if shape is not None:
        shape = tuple(shape)
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=dt.numpy)
        elif array.size == int(np.prod(shape)):
            array = np.reshape(array, shape)
        else:
            raise ValueError(f"Cannot reshape a constant with {array.size} elements to {shape}")
    array.setflags(write=False)
    return make_op(CONST, [], name, value=array, dtype=dt, shape=TensorShape(array.shape))


def convert_to_tensor(value: Any, dtype: Any = None, name: str = "Const") -> Tensor:
    """A tensor as is (dtype checked), a variable's value, or a new constant."""
    tensor = _tensor_of(value)
    if tensor is not None:
        if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype:
            raise TypeError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor with "
                f"dtype {tensor.dtype.name}: {tensor!r}"
            )
        return tensor
    if dtype is not None:
        dt = dtypes.as_dtype(dtype)
        array = np.asarray(value)
        integral = np.all(np.equal(np.mod(array, 1), 0)) if array.dtype.kind == "f" else True
        if dt.is_integer and not integral:
            raise TypeError(f"Cannot convert {value!r} to a tensor of dtype {dt.name}")
        return constant(value, dtype=dt, name=name)
    return constant(value, name=name)


def make_op(
    op_def: OpDef,
    inputs: Sequence[Any],
    name: str | None = None,
    *,
    dtype: DType | None = None,
    shape: TensorShape | None = None,
    control_inputs: Sequence[Operation] = (),
    **attrs: Any,
):
    """Create an op in the inputs' graph and return its output tensor (or the op if none).

    Non-tensor inputs must already be converted by the caller, which knows the dtype they need.
    """
    tensors = [_tensor_of(x) for x in inputs]
    if any(t is None for t in tensors):
        raise TypeError(f"{op_def.type}: every input must be a Tensor, got {list(inputs)!r}")
    graph = graph_of(tensors) if tensors else get_default_graph()
    tensors = [graph.capture(t) for t in tensors]  # type: ignore[arg-type]
    if not op_def.has_output:
        dtype, shape = dtypes.bool_, TensorShape(())
    if dtype is None:
        dtype = op_def.dtype(op_def.type, tensors, attrs)
    if shape is None:
        shape = op_def.shape([t.shape for t in tensors], attrs)
    op = graph.create_op(
        op_def, tensors, name or op_def.type, attrs, dtype, shape, list(control_inputs)
    )
    return op.outputs[0] if op.outputs else op
