"""Sources, shapes, selection and structure: constants, placeholders, casts, reshapes, slicing,
stacking, ``where``, and the two helpers every gradient rule leans on (``unbroadcast`` and
``shape_of``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine import dtypes
from gaussfit.engine.dtypes import DType
from gaussfit.engine.graph import Operation, Tensor, register_operators
from gaussfit.engine.ops.op_def import (
    CONST,
    OpDef,
    constant,
    convert_to_tensor,
    graph_of,
    make_op,
    register,
)
from gaussfit.engine.shapes import SCALAR, UNKNOWN, TensorShape, broadcast, normalize_axis


def _attr_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return attrs["shape"]


def _same_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return shapes[0]


def _attr_dtype(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    return attrs["dtype"]


def _int32(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    return dtypes.int32


def _second_dtype(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    return inputs[1].dtype


# -- sources --------------------------------------------------------------------------------
PLACEHOLDER = register(
    OpDef("Placeholder", None, _attr_shape, None, dtype=_attr_dtype, kind="placeholder")
)


def placeholder(dtype: Any, shape: Sequence[int | None] | None = None, name: str | None = None):
    """A value supplied at run time through ``feed_dict`` (TF1's ``tf.placeholder``).

    With no ``shape`` any shape may be fed and printed tensors omit the shape, as in TF1.
    """
    dt = dtypes.as_dtype(dtype)
    static = UNKNOWN if shape is None else TensorShape(shape)
    return make_op(PLACEHOLDER, [], name or "Placeholder", dtype=dt, shape=static)


def constant_value(tensor: Tensor) -> np.ndarray | None:
    """The value of a tensor known when the graph is built (a ``Const``), else None."""
    return tensor.op.attrs["value"] if tensor.op.op_def is CONST else None


# -- identity, gradient stops and casts ------------------------------------------------------
def _identity_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [g]


def _cast_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    source = op.inputs[0].dtype
    if source.is_floating and g.dtype.is_floating:
        return [cast(g, source)]
    return [None]


def _np_identity(x: np.ndarray) -> np.ndarray:
    return x


def _np_cast(x: np.ndarray, to: DType) -> np.ndarray:
    return np.asarray(x, dtype=to.numpy)


IDENTITY = register(OpDef("Identity", _np_identity, _same_shape, _identity_grad))
STOP_GRADIENT = register(OpDef("StopGradient", _np_identity, _same_shape, None))
CAST = register(OpDef("Cast", _np_cast, _same_shape, _cast_grad, dtype=lambda t, i, a: a["to"]))


def identity(x: Any, name: str | None = None) -> Tensor:
    return make_op(IDENTITY, [convert_to_tensor(x)], name)


def stop_gradient(x: Any, name: str | None = None) -> Tensor:
    """Pass x through unchanged but let no gradient flow back into it."""
    return make_op(STOP_GRADIENT, [convert_to_tensor(x)], name)


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Convert the element type; gradients flow only between floating types."""
    tensor = convert_to_tensor(x)
    target = dtypes.as_dtype(dtype)
    if tensor.dtype == target:
        return tensor
    return make_op(CAST, [tensor], name or "Cast", to=target)


# -- shapes ---------------------------------------------------------------------------------
def _np_shape(x: np.ndarray) -> np.ndarray:
    return np.array(np.shape(x), dtype=np.int32)


def _np_size(x: np.ndarray) -> np.ndarray:
    return np.array(np.size(x), dtype=np.int32)


def _shape_of_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return TensorShape([shapes[0].ndims])


SHAPE = register(OpDef("Shape", _np_shape, _shape_of_shape, None, dtype=_int32))
SIZE = register(OpDef("Size", _np_size, lambda s, a: SCALAR, None, dtype=_int32))


def shape(x: Any, name: str | None = None) -> Tensor:
    """The run-time shape of x as an int32 vector."""
    return make_op(SHAPE, [convert_to_tensor(x)], name)


def size(x: Any, name: str | None = None) -> Tensor:
    """The run-time number of elements of x."""
    return make_op(SIZE, [convert_to_tensor(x)], name)


def shape_of(x: Tensor) -> Tensor:
    """x's shape as a tensor: a constant when known statically (what TF's grappler would fold),
    else a ``Shape`` op evaluated at run time."""
    if x.shape.is_fully_defined:
        return constant_int32(x.shape.as_list())
    return shape(x)


def constant_int32(values: Sequence[int]) -> Tensor:
    return constant(np.array(values, dtype=np.int32), name="Const")


# -- broadcasting and its reverse -----------------------------------------------------------
def _np_broadcast_to(x: np.ndarray, target: np.ndarray) -> np.ndarray:
    return np.broadcast_to(x, tuple(int(d) for d in target))


def _np_sum_to_shape(g: np.ndarray, target: np.ndarray) -> np.ndarray:
    target_shape = tuple(int(d) for d in target)
    if np.shape(g) == target_shape:
        return g
    lead = np.ndim(g) - len(target_shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(target_shape) if d == 1 and np.shape(g)[lead + i] != 1
    )
    return np.reshape(np.sum(g, axis=axes), target_shape)


def _broadcast_to_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [sum_to_shape(g, shape_of(op.inputs[0])), None]


def _sum_to_shape_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [broadcast_to(g, shape_of(op.inputs[0])), None]


BROADCAST_TO = register(
    OpDef("BroadcastTo", _np_broadcast_to, lambda s, a: a["static_shape"], _broadcast_to_grad)
)
SUM_TO_SHAPE = register(
    OpDef("SumToShape", _np_sum_to_shape, lambda s, a: a["static_shape"], _sum_to_shape_grad)
)


def _static_from_shape_tensor(target: Tensor) -> TensorShape:
    value = constant_value(target)
    if value is not None:
        return TensorShape([int(d) for d in value])
    dims = target.shape.dims
    if dims is not None and dims[0] is not None:
        return TensorShape([None] * dims[0])
    return UNKNOWN


def broadcast_to(x: Any, target: Any, name: str | None = None) -> Tensor:
    """x repeated to the shape ``target`` (a view: no memory is copied)."""
    tensor = convert_to_tensor(x)
    target = convert_to_tensor(target, dtype=dtypes.int32)
    static = _static_from_shape_tensor(target)
    if static.dims is not None and tensor.shape.dims is not None:
        static = broadcast(static, tensor.shape)
    return make_op(BROADCAST_TO, [tensor, target], name, static_shape=static)


def sum_to_shape(g: Tensor, target: Tensor, name: str | None = None) -> Tensor:
    """Sum ``g`` over the axes that broadcasting added or stretched, down to ``target``."""
    static = _static_from_shape_tensor(target)
    return make_op(SUM_TO_SHAPE, [g, target], name, static_shape=static)


def unbroadcast(g: Tensor, x: Tensor) -> Tensor:
    """The gradient ``g`` of a broadcast result reduced to the shape of input ``x``.

    The one place broadcasting is undone: every binary gradient rule calls it. When both static
    shapes are known and equal nothing is added to the graph.
    """
    if g.shape.is_fully_defined and g.shape == x.shape:
        return g
    if x.shape.dims == () and g.shape.dims is not None and g.shape.dims == ():
        return g
    return sum_to_shape(g, shape_of(x))


# -- reshaping ------------------------------------------------------------------------------
def _np_reshape(x: np.ndarray, target: np.ndarray) -> np.ndarray:
    return np.reshape(x, tuple(int(d) for d in target))


def _reshape_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [reshape(g, shape_of(op.inputs[0])), None]


def _np_expand_dims(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    return np.expand_dims(x, axes)


def _np_squeeze(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    return np.squeeze(x, axis=axes)


def _expand_dims_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [squeeze(g, op.attrs["axes"])]


def _squeeze_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [reshape(g, shape_of(op.inputs[0]))]


def _expand_dims_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if shapes[0].dims is None:
        return UNKNOWN
    dims: list[int | None] = list(shapes[0].dims)
    rank = len(dims) + len(attrs["axes"])
    for axis in sorted(normalize_axis(a, rank) for a in attrs["axes"]):
        dims.insert(axis, 1)
    return TensorShape(dims)


def _squeeze_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if shapes[0].dims is None:
        return UNKNOWN
    rank = len(shapes[0].dims)
    axes = {normalize_axis(a, rank) for a in attrs["axes"]}
    for axis in sorted(axes):
        if shapes[0].dims[axis] not in (None, 1):
            raise ValueError(
                f"Can not squeeze dim[{axis}], expected a dimension of 1, got "
                f"{shapes[0].dims[axis]} for shape {shapes[0]}"
            )
    return TensorShape([d for i, d in enumerate(shapes[0].dims) if i not in axes])


RESHAPE = register(OpDef("Reshape", _np_reshape, lambda s, a: a["static_shape"], _reshape_grad))
EXPAND_DIMS = register(OpDef("ExpandDims", _np_expand_dims, _expand_dims_shape, _expand_dims_grad))
SQUEEZE = register(OpDef("Squeeze", _np_squeeze, _squeeze_shape, _squeeze_grad))


def reshape(x: Any, target: Any, name: str | None = None) -> Tensor:
    """x with a new shape of the same size (one dimension may be -1)."""
    tensor = convert_to_tensor(x)
    target = convert_to_tensor(target, dtype=dtypes.int32)
    requested = static = _static_from_shape_tensor(target)
    known = tensor.shape.num_elements()
    if static.dims is not None and -1 in static.dims:
        rest = int(np.prod([d for d in static.dims if d != -1]))
        fill = known // rest if known is not None and rest else None
        static = TensorShape([fill if d == -1 else d for d in static.dims])
    if known is not None and static.num_elements() not in (None, known):
        raise ValueError(
            f"Cannot reshape a tensor with {known} elements to shape {requested.as_list()} "
            f"for '{tensor.name}'"
        )
    return make_op(RESHAPE, [tensor, target], name, static_shape=static)


def expand_dims(
    x: Any, axis: int | Sequence[int] | None = None, name: str | None = None, dim: Any = None
) -> Tensor:
    """Insert size-1 axes (positions counted in the result's rank; ``dim`` is TF1's old name)."""
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    axes = (int(axis),) if isinstance(axis, (int, np.integer)) else tuple(int(a) for a in axis)
    return make_op(EXPAND_DIMS, [convert_to_tensor(x)], name, axes=axes)


def squeeze(
    x: Any, axis: int | Sequence[int] | None = None, name: str | None = None, squeeze_dims=None
) -> Tensor:
    """Remove the given size-1 axes, or every size-1 axis when none is given (which needs the
    rank and those sizes known when the graph is built)."""
    tensor = convert_to_tensor(x)
    axis = squeeze_dims if axis is None else axis
    if axis is None:
        if tensor.shape.dims is None or any(d is None for d in tensor.shape.dims):
            raise ValueError(
                f"squeeze of {tensor.name!r} without an axis needs its shape, {tensor.shape}"
            )
        axes = tuple(i for i, d in enumerate(tensor.shape.dims) if d == 1)
    else:
        axes = (int(axis),) if isinstance(axis, (int, np.integer)) else tuple(int(a) for a in axis)
    return make_op(SQUEEZE, [tensor], name, axes=axes)


# -- slicing --------------------------------------------------------------------------------
def _np_getitem(x: np.ndarray, key: tuple) -> np.ndarray:
    return x[key]


def _np_getitem_grad(target: np.ndarray, g: np.ndarray, key: tuple) -> np.ndarray:
    out = np.zeros(tuple(int(d) for d in target), dtype=np.result_type(g))
    out[key] = g
    return out


def _getitem_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x = op.inputs[0]
    return [make_op(GETITEM_GRAD, [shape_of(x), g], key=op.attrs["key"], static_shape=x.shape)]


def _getitem_grad_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [None, getitem(g, op.attrs["key"])]


def _getitem_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if not shapes[0].is_fully_defined:
        return UNKNOWN
    probe = np.broadcast_to(np.zeros((), dtype=np.int8), tuple(shapes[0].dims))  # type: ignore[arg-type]
    return TensorShape(probe[attrs["key"]].shape)


GETITEM = register(OpDef("StridedSlice", _np_getitem, _getitem_shape, _getitem_grad))
GETITEM_GRAD = register(
    OpDef(
        "StridedSliceGrad",
        _np_getitem_grad,
        lambda s, a: a["static_shape"],
        _getitem_grad_grad,
        dtype=_second_dtype,
    )
)


def _normalize_key(key: Any) -> tuple:
    key = key if isinstance(key, tuple) else (key,)
    for part in key:
        if not isinstance(part, (int, np.integer, slice)) and part is not Ellipsis:
            raise TypeError(f"Only integers, slices and ... are valid tensor indices, got {part!r}")
    return tuple(int(p) if isinstance(p, np.integer) else p for p in key)


def getitem(x: Any, key: Any, name: str | None = None) -> Tensor:
    """``x[key]`` with integer, slice and ``...`` indices (TF1's ``strided_slice``)."""
    return make_op(
        GETITEM, [convert_to_tensor(x)], name or "strided_slice", key=_normalize_key(key)
    )


register_operators(getitem=getitem)


# -- stacking and joining -------------------------------------------------------------------
def _np_pack(*values: np.ndarray, axis: int) -> np.ndarray:
    return np.stack(values, axis=axis)


def _np_concat(*values: np.ndarray, axis: int) -> np.ndarray:
    return np.concatenate(values, axis=axis)


def _pack_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    first = shapes[0]
    if first.dims is None:
        return UNKNOWN
    dims: list[int | None] = list(first.dims)
    dims.insert(normalize_axis(attrs["axis"], len(dims) + 1), len(shapes))
    return TensorShape(dims)


def _concat_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if any(s.dims is None for s in shapes):
        return UNKNOWN
    axis = normalize_axis(attrs["axis"], len(shapes[0].dims))  # type: ignore[arg-type]
    dims: list[int | None] = list(shapes[0].dims)  # type: ignore[arg-type]
    sizes = [s.dims[axis] for s in shapes]  # type: ignore[index]
    dims[axis] = None if any(d is None for d in sizes) else sum(sizes)  # type: ignore[misc]
    return TensorShape(dims)


def _index_along(axis: int, index: Any) -> tuple:
    if axis >= 0:
        return (slice(None),) * axis + (index,)
    return (Ellipsis, index) + (slice(None),) * (-axis - 1)


def _pack_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    axis = op.attrs["axis"]
    return [getitem(g, _index_along(axis, i)) if needs[i] else None for i in range(len(needs))]


def _concat_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """Each input's gradient is its slice of g: static slices when every size along the axis
    is known, else a ``ConcatSlice`` that reads the sizes from the inputs' run-time shapes."""
    axis = op.attrs["axis"]
    sizes = [x.shape[axis] if x.shape.dims is not None else None for x in op.inputs]
    if any(s is None for s in sizes):
        shapes = [shape(x) for x in op.inputs]
        return [
            make_op(CONCAT_SLICE, [g, *shapes], index=i, axis=axis, static_shape=x.shape)
            if need
            else None
            for i, (x, need) in enumerate(zip(op.inputs, needs, strict=True))
        ]
    grads, start = [], 0
    for size_i, need in zip(sizes, needs, strict=True):
        stop = start + size_i  # type: ignore[operator]
        grads.append(getitem(g, _index_along(axis, slice(start, stop))) if need else None)
        start = stop
    return grads


def _np_concat_slice(g: np.ndarray, *shapes: np.ndarray, index: int, axis: int) -> np.ndarray:
    rank = np.ndim(g)
    axis = normalize_axis(axis, rank)
    sizes = [int(s[axis]) for s in shapes]
    start = sum(sizes[:index])
    return g[(slice(None),) * axis + (slice(start, start + sizes[index]),)]


def _concat_slice_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    # The slice's gradient is g in its place and zeros elsewhere: a concat of zeros around it.
    shapes = op.inputs[1:]
    index, axis = op.attrs["index"], op.attrs["axis"]
    parts = [
        g
        if j == index
        else make_op(ZEROS_OF_SHAPE, [s], like=g.dtype, static_shape=TensorShape(None))
        for j, s in enumerate(shapes)
    ]
    return [concat(parts, axis), *([None] * len(shapes))]


def _np_zeros_of_shape(target: np.ndarray, like: DType) -> np.ndarray:
    return np.zeros(tuple(int(d) for d in target), dtype=like.numpy)


CONCAT_SLICE = register(
    OpDef("ConcatSlice", _np_concat_slice, lambda s, a: a["static_shape"], _concat_slice_grad)
)
ZEROS_OF_SHAPE = register(
    OpDef(
        "ZerosOfShape",
        _np_zeros_of_shape,
        lambda s, a: a["static_shape"],
        None,
        dtype=lambda t, i, a: a["like"],
    )
)


PACK = register(OpDef("Pack", _np_pack, _pack_shape, _pack_grad))
CONCAT = register(OpDef("ConcatV2", _np_concat, _concat_shape, _concat_grad))


def _check_same_dtype(tensors: Sequence[Tensor], what: str) -> None:
    for t in tensors[1:]:
        if t.dtype != tensors[0].dtype:
            raise TypeError(
                f"{what}: {tensors[0].name!r} is {tensors[0].dtype.name} but {t.name!r} is "
                f"{t.dtype.name}"
            )


def _convert_list(values: Sequence[Any]) -> list[Tensor]:
    tensors = [
        convert_to_tensor(v) if isinstance(v, Tensor) or hasattr(v, "_as_tensor") else None
        for v in values
    ]
    dtype = next((t.dtype for t in tensors if t is not None), None)
    return [
        t if t is not None else convert_to_tensor(v, dtype=dtype)
        for t, v in zip(tensors, values, strict=True)
    ]


def stack(values: Sequence[Any], axis: int = 0, name: str | None = None) -> Tensor:
    """Join same-shaped tensors along a new axis (TF1's ``tf.stack``, op ``Pack``)."""
    graph = graph_of(values)
    with graph.as_default():
        tensors = _convert_list(values)
        _check_same_dtype(tensors, "stack")
        return make_op(PACK, tensors, name or "stack", axis=axis)


def concat(values: Sequence[Any], axis: int, name: str | None = None) -> Tensor:
    """Join tensors along an existing axis (TF1's ``tf.concat``, op ``ConcatV2``)."""
    graph = graph_of(values)
    with graph.as_default():
        tensors = _convert_list(values)
        _check_same_dtype(tensors, "concat")
        return make_op(CONCAT, tensors, name or "concat", axis=axis)


# -- selection ------------------------------------------------------------------------------
def _np_where(condition: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.where(condition, x, y)


def _where_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return broadcast(broadcast(shapes[0], shapes[1]), shapes[2])


def _where_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    condition, x, y = op.inputs
    zeros = zeros_like(g)
    return [
        None,
        unbroadcast(where(condition, g, zeros), x) if needs[1] else None,
        unbroadcast(where(condition, zeros, g), y) if needs[2] else None,
    ]


SELECT = register(OpDef("Select", _np_where, _where_shape, _where_grad, dtype=_second_dtype))


def where(condition: Any, x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise choice: x where condition holds, else y (broadcasting)."""
    graph = graph_of([condition, x, y])
    with graph.as_default():
        cond = convert_to_tensor(condition)
        if not cond.dtype.is_bool:
            raise TypeError(f"where: condition {cond.name!r} must be bool, not {cond.dtype.name}")
        tx = convert_to_tensor(x) if isinstance(x, Tensor) or hasattr(x, "_as_tensor") else None
        ty = convert_to_tensor(y) if isinstance(y, Tensor) or hasattr(y, "_as_tensor") else None
        if tx is None and ty is None:
            tx = convert_to_tensor(x)
        tx = tx if tx is not None else convert_to_tensor(x, dtype=ty.dtype)  # type: ignore[union-attr]
        ty = ty if ty is not None else convert_to_tensor(y, dtype=tx.dtype)
        _check_same_dtype([tx, ty], "where")
        return make_op(SELECT, [cond, tx, ty], name or "Select")


# -- filled tensors -------------------------------------------------------------------------
def _np_zeros_like(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x)


def _np_ones_like(x: np.ndarray) -> np.ndarray:
    return np.ones_like(x)


ZEROS_LIKE = register(OpDef("ZerosLike", _np_zeros_like, _same_shape, None))
ONES_LIKE = register(OpDef("OnesLike", _np_ones_like, _same_shape, None))


def zeros_like(x: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    """Zeros of x's shape (and dtype unless ``dtype`` is given)."""
    tensor = make_op(ZEROS_LIKE, [convert_to_tensor(x)], name or "zeros_like")
    return tensor if dtype is None else cast(tensor, dtype)


def ones_like(x: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    """Ones of x's shape (and dtype unless ``dtype`` is given)."""
    tensor = make_op(ONES_LIKE, [convert_to_tensor(x)], name or "ones_like")
    return tensor if dtype is None else cast(tensor, dtype)


def _static_dims(shape: Any) -> list[int]:
    """A shape given as a list, tuple, TensorShape or constant, as a list of ints."""
    if isinstance(shape, TensorShape):
        return [int(d) for d in shape.as_list()]  # type: ignore[arg-type]
    if isinstance(shape, Tensor):
        value = constant_value(shape)
        if value is None:
            raise ValueError(f"the shape {shape.name!r} must be known when the graph is built")
        return [int(d) for d in np.reshape(value, -1)]
    return [int(d) for d in np.reshape(np.asarray(shape), -1)]


def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """A constant tensor of zeros (TF1's ``tf.zeros``, float32 unless ``dtype`` is given)."""
    dt = dtypes.as_dtype(dtype)
    return constant(np.zeros(_static_dims(shape), dt.numpy), name=name or "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """A constant tensor of ones (TF1's ``tf.ones``, float32 unless ``dtype`` is given)."""
    dt = dtypes.as_dtype(dtype)
    return constant(np.ones(_static_dims(shape), dt.numpy), name=name or "ones")


def _np_fill(dims: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.full(tuple(int(d) for d in dims), value)


def _fill_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [None, sum_to_shape(g, constant_int32([]))]  # every element came from the value


FILL = register(
    OpDef("Fill", _np_fill, lambda s, a: a["static_shape"], _fill_grad, dtype=_second_dtype)
)


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` holding ``value`` everywhere (TF1's ``tf.fill``)."""
    graph = graph_of([dims, value])
    with graph.as_default():
        target = convert_to_tensor(dims, dtype=dtypes.int32)
        return make_op(
            FILL,
            [target, convert_to_tensor(value)],
            name or "Fill",
            static_shape=_static_from_shape_tensor(target),
        )


# -- transposing, tiling, gathering ----------------------------------------------------------
def _np_transpose(x: np.ndarray, perm: tuple[int, ...] | None) -> np.ndarray:
    return np.transpose(x, perm)


def _transpose_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if shapes[0].dims is None:
        return UNKNOWN
    if attrs["perm"] is None:
        return TensorShape(shapes[0].dims[::-1])
    return TensorShape([shapes[0].dims[i] for i in attrs["perm"]])


def _transpose_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    perm = op.attrs["perm"]
    if perm is None:  # reversing the axes is its own inverse
        return [transpose(g)]
    return [transpose(g, tuple(int(i) for i in np.argsort(perm)))]


TRANSPOSE = register(OpDef("Transpose", _np_transpose, _transpose_shape, _transpose_grad))


def transpose(a: Any, perm: Sequence[int] | None = None, name: str | None = None) -> Tensor:
    """Permute the axes (reverse them when ``perm`` is None, so a matrix is transposed)."""
    tensor = convert_to_tensor(a)
    if perm is None and tensor.shape.dims is not None:
        perm = tuple(reversed(range(len(tensor.shape.dims))))
    perm = None if perm is None else tuple(int(i) for i in perm)  # None: reverse at run time
    return make_op(TRANSPOSE, [tensor], name or "transpose", perm=perm)


def _np_tile(x: np.ndarray, multiples: tuple[int, ...]) -> np.ndarray:
    return np.tile(x, multiples)


def _tile_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if shapes[0].dims is None:
        return UNKNOWN
    return TensorShape(
        [
            None if d is None else d * m
            for d, m in zip(shapes[0].dims, attrs["multiples"], strict=True)
        ]
    )


def _np_tile_grad(g: np.ndarray, multiples: tuple[int, ...]) -> np.ndarray:
    # Each output axis of size m*d is split into (m, d) and the copies (the m axes) summed.
    split = [n for m, d in zip(multiples, np.shape(g), strict=True) for n in (m, d // m)]
    return np.sum(np.reshape(g, split), axis=tuple(range(0, 2 * len(multiples), 2)))


def _tile_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    multiples = op.attrs["multiples"]
    return [make_op(TILE_GRAD, [g], multiples=multiples, static_shape=op.inputs[0].shape)]


def _tile_grad_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [tile(g, op.attrs["multiples"])]


TILE = register(OpDef("Tile", _np_tile, _tile_shape, _tile_grad))
TILE_GRAD = register(
    OpDef("TileGrad", _np_tile_grad, lambda s, a: a["static_shape"], _tile_grad_grad)
)


def tile(x: Any, multiples: Any, name: str | None = None) -> Tensor:
    """x repeated ``multiples[i]`` times along axis i (TF1's ``tf.tile``)."""
    return make_op(
        TILE, [convert_to_tensor(x)], name or "Tile", multiples=tuple(_static_dims(multiples))
    )


def _np_gather(params: np.ndarray, indices: np.ndarray, axis: int) -> np.ndarray:
    return np.take(params, indices, axis=axis)


def _gather_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    params, indices = shapes
    if params.dims is None or indices.dims is None:
        return UNKNOWN
    axis = normalize_axis(attrs["axis"], len(params.dims))
    return TensorShape([*params.dims[:axis], *indices.dims, *params.dims[axis + 1 :]])


def _np_gather_grad(target: np.ndarray, indices: np.ndarray, g: np.ndarray, axis: int):
    out = np.zeros(tuple(int(d) for d in target), dtype=np.result_type(g))
    moved = np.moveaxis(out, axis, 0)
    grads = np.moveaxis(
        g, tuple(range(axis, axis + np.ndim(indices))), tuple(range(np.ndim(indices)))
    )
    np.add.at(moved, indices, grads)  # repeated indices add up, as TF's IndexedSlices do
    return out


def _gather_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    params, indices = op.inputs
    grad = make_op(
        GATHER_GRAD,
        [shape_of(params), indices, g],
        axis=op.attrs["axis"],
        static_shape=params.shape,
        like=g.dtype,
    )
    return [grad, None]


def _gather_grad_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [None, None, gather(g, op.inputs[1], axis=op.attrs["axis"])]


GATHER = register(OpDef("GatherV2", _np_gather, _gather_shape, _gather_grad))
GATHER_GRAD = register(
    OpDef(
        "GatherGrad",
        lambda target, indices, g, axis, like: _np_gather_grad(target, indices, g, axis),
        lambda s, a: a["static_shape"],
        _gather_grad_grad,
        dtype=lambda t, i, a: a["like"],
    )
)


def gather(
    params: Any, indices: Any, validate_indices: Any = None, name: str | None = None, axis=0
) -> Tensor:
    """Rows (slices along ``axis``) of ``params`` picked by integer ``indices``."""
    graph = graph_of([params, indices])
    with graph.as_default():
        index = convert_to_tensor(indices)
        if not index.dtype.is_integer:
            raise TypeError(f"gather: indices must be integers, not {index.dtype.name}")
        return make_op(GATHER, [convert_to_tensor(params), index], name or "GatherV2", axis=axis)


def _np_one_hot(indices: np.ndarray, depth: int, on: Any, off: Any, axis: int, dt: DType):
    hot = np.equal(np.expand_dims(indices, -1), np.arange(depth))
    out = np.where(hot, np.asarray(on, dt.numpy), np.asarray(off, dt.numpy))
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def _one_hot_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    if shapes[0].dims is None:
        return UNKNOWN
    dims: list[int | None] = list(shapes[0].dims)
    axis = attrs["axis"]
    dims.insert(len(dims) if axis == -1 else axis, attrs["depth"])
    return TensorShape(dims)


ONE_HOT = register(
    OpDef("OneHot", _np_one_hot, _one_hot_shape, None, dtype=lambda t, i, a: a["dt"])
)


def one_hot(
    indices: Any,
    depth: int,
    on_value: Any = None,
    off_value: Any = None,
    axis: int | None = None,
    dtype: Any = None,
    name: str | None = None,
) -> Tensor:
    """Each index as a vector of ``depth`` with ``on_value`` (1) at it, ``off_value`` (0)
    elsewhere; an index outside [0, depth) gives a vector of ``off_value``."""
    if dtype is not None:
        dt = dtypes.as_dtype(dtype)
    elif on_value is not None:
        dt = dtypes.infer_dtype(on_value)
    else:
        dt = dtypes.float32
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    return make_op(
        ONE_HOT,
        [convert_to_tensor(indices)],
        name or "one_hot",
        depth=int(depth),
        on=on,
        off=off,
        axis=-1 if axis is None else int(axis),
        dt=dt,
    )


# -- sequences ------------------------------------------------------------------------------
def range_(
    start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = "range"
) -> Tensor:
    """[start, start + delta, ...) below ``limit`` (``range(n)`` counts from 0), as TF1: an
    int32 vector for integers, float32 when any bound is a Python float."""
    if limit is None:
        start, limit = 0, start
    values = [start, limit, delta]
    if dtype is not None:
        dt = dtypes.as_dtype(dtype)
    else:
        kinds = [dtypes.infer_dtype(v) for v in values]
        dt = next((k for k in kinds if k.is_floating), kinds[0])
    array = np.arange(*[np.asarray(v, dt.numpy) for v in values], dtype=dt.numpy)
    return constant(array, name=name)


def linspace(start: Any, stop: Any, num: int, name: str = "LinSpace", axis: int = 0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (float32 for Python
    floats, as TF1)."""
    dt = dtypes.infer_dtype(start)
    return constant(np.linspace(start, stop, int(num), dtype=dt.numpy), name=name)


def rank(x: Any, name: str | None = None) -> Tensor:
    """The number of axes of x, known when the graph is built."""
    tensor = convert_to_tensor(x)
    if tensor.shape.dims is None:
        raise ValueError(f"rank of {tensor.name!r} is not known when the graph is built")
    return constant(np.int32(len(tensor.shape.dims)), name=name or "Rank")
