"""Elementwise arithmetic and elementary functions, each with its gradient rule beside it.

Binary rules reduce the incoming gradient back to each input's shape with ``unbroadcast``: the
one place broadcasting is undone. Python numbers meeting a tensor take the tensor's dtype and
become constants inside the op's name scope (``add/y``), as in TF1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.dtypes import DType, as_dtype, bool_, float64, int64
from gaussfit.engine.graph import Operation, Tensor, register_operators
from gaussfit.engine.ops.array_ops import (
    constant_value,
    ones_like,
    unbroadcast,
    where,
    zeros_like,
)
from gaussfit.engine.ops.op_def import (
    OpDef,
    _tensor_of,
    convert_to_tensor,
    graph_of,
    make_op,
    register,
)
from gaussfit.engine.shapes import TensorShape, broadcast, reduced


def _broadcast_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return broadcast(shapes[0], shapes[1])


def _same_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return shapes[0]


def _float_only(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    dtype = inputs[0].dtype
    if not dtype.is_floating:
        raise TypeError(
            f"Value passed to parameter 'x' of {op_type} has DataType {dtype.name} not in list "
            "of allowed values: float32, float64"
        )
    return dtype


def _to_bool(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    return bool_


def _true_div_dtype(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    """Dividing integers gives float64, as TF1's ``truediv`` (and numpy's ``true_divide``)."""
    dtype = inputs[0].dtype
    return float64 if dtype.is_integer else dtype


def _binary_pair(x: Any, y: Any) -> tuple[Tensor, Tensor]:
    """Convert the operands of a binary op: a Python value takes the other side's dtype."""
    tx, ty = _tensor_of(x), _tensor_of(y)
    if tx is not None and ty is not None:
        if tx.dtype != ty.dtype:
            raise TypeError(
                f"Cannot combine tensors of different dtypes: {tx.name!r} is {tx.dtype.name} "
                f"and {ty.name!r} is {ty.dtype.name}; use tf.cast to convert one of them."
            )
        return tx, ty
    if tx is not None:
        return tx, convert_to_tensor(y, dtype=tx.dtype, name="y")
    if ty is not None:
        return convert_to_tensor(x, dtype=ty.dtype, name="x"), ty
    tx = convert_to_tensor(x, name="x")
    return tx, convert_to_tensor(y, dtype=tx.dtype, name="y")


def _binary(op_def: OpDef, scope: str, x: Any, y: Any, name: str | None) -> Tensor:
    graph = graph_of([x, y])
    with graph.as_default(), graph.name_scope(name or scope) as op_name:
        tx, ty = _binary_pair(x, y)
        return make_op(op_def, [tx, ty], op_name)


def _unary(op_def: OpDef, x: Any, name: str | None) -> Tensor:
    graph = graph_of([x])
    with graph.as_default():
        return make_op(op_def, [convert_to_tensor(x)], name)


def _elementwise(type_: str, forward: Any, grad: Any, *, binary: bool, dtype: Any = None):
    return register(
        OpDef(
            type_,
            forward,
            _broadcast_shape if binary else _same_shape,
            grad,
            **({"dtype": dtype} if dtype else {}),
            elementwise=True,
        )
    )


# -- arithmetic -----------------------------------------------------------------------------
def _add_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x, y = op.inputs
    return [unbroadcast(g, x) if needs[0] else None, unbroadcast(g, y) if needs[1] else None]


def _sub_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x, y = op.inputs
    return [
        unbroadcast(g, x) if needs[0] else None,
        unbroadcast(negative(g), y) if needs[1] else None,
    ]


def _mul_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x, y = op.inputs
    return [
        unbroadcast(multiply(g, y), x) if needs[0] else None,
        unbroadcast(multiply(g, x), y) if needs[1] else None,
    ]


def _div_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    # d(x/y)/dx = 1/y ; d(x/y)/dy = -x/y**2 = -z/y, reusing the forward output z.
    x, y = op.inputs
    z = op.outputs[0]
    return [
        unbroadcast(truediv(g, y), x) if needs[0] else None,
        unbroadcast(negative(truediv(multiply(g, z), y)), y) if needs[1] else None,
    ]


def _floormod_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    # x mod y = x - floor(x / y) * y, so d/dx = 1 and d/dy = -floor(x / y), as TF1.
    x, y = op.inputs
    return [
        unbroadcast(g, x) if needs[0] else None,
        unbroadcast(multiply(g, negative(floor(truediv(x, y)))), y) if needs[1] else None,
    ]


def _pow_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """d(x**y)/dx = y*x**(y-1); d/dy = x**y * log(x).

    A constant exponent gets multiplications instead of a general ``pow`` (``x**2`` → ``2x``),
    the single largest saving in the lab's step. The log in d/dy is taken of a safe x
    (``where(x > 0, x, 1)``) *before* the log, so no NaN reaches second derivatives.
    """
    x, y = op.inputs
    z = op.outputs[0]
    gx = gy = None
    if needs[0]:
        c = constant_value(y)
        if c is not None and np.ndim(c) == 0:
            c = float(c)
            if c == 0.0:
                gx = zeros_like(x)
            elif c == 1.0:
                gx = g
            elif c == 2.0:
                gx = multiply(g, multiply(x, 2.0))
            elif c == 0.5:
                gx = truediv(multiply(g, 0.5), z)
            else:
                gx = multiply(g, multiply(pow(x, c - 1.0), c))
        else:
            gx = multiply(g, multiply(y, pow(x, subtract(y, 1.0))))
        gx = unbroadcast(gx, x)
    if needs[1]:
        positive = greater(x, 0.0)
        safe_x = where(positive, x, ones_like(x))
        log_x = where(positive, log(safe_x), zeros_like(x))
        gy = unbroadcast(multiply(g, multiply(z, log_x)), y)
    return [gx, gy]


def _maximum_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x, y = op.inputs
    x_wins = greater_equal(x, y)
    return _select_grads(op, g, needs, x_wins)


def _minimum_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x, y = op.inputs
    x_wins = less_equal(x, y)
    return _select_grads(op, g, needs, x_wins)


def _select_grads(op: Operation, g: Tensor, needs: Sequence[bool], x_wins: Tensor) -> list[Any]:
    x, y = op.inputs
    zeros = zeros_like(g)
    return [
        unbroadcast(where(x_wins, g, zeros), x) if needs[0] else None,
        unbroadcast(where(x_wins, zeros, g), y) if needs[1] else None,
    ]


ADD = _elementwise("Add", np.add, _add_grad, binary=True)
SUB = _elementwise("Sub", np.subtract, _sub_grad, binary=True)
MUL = _elementwise("Mul", np.multiply, _mul_grad, binary=True)
REAL_DIV = _elementwise("RealDiv", np.true_divide, _div_grad, binary=True, dtype=_true_div_dtype)
FLOOR_DIV = _elementwise("FloorDiv", np.floor_divide, None, binary=True)
FLOOR_MOD = _elementwise("FloorMod", np.mod, _floormod_grad, binary=True)
POW = _elementwise("Pow", np.power, _pow_grad, binary=True)
MAXIMUM = _elementwise("Maximum", np.maximum, _maximum_grad, binary=True)
MINIMUM = _elementwise("Minimum", np.minimum, _minimum_grad, binary=True)


def add(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x + y: op ``Add`` (the ``+`` operator names it ``add``)."""
    return _binary(ADD, "Add", x, y, name)


def subtract(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x - y: op ``Sub`` (the ``-`` operator names it ``sub``)."""
    return _binary(SUB, "Sub", x, y, name)


def multiply(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x * y: op ``Mul`` (the ``*`` operator names it ``mul``)."""
    return _binary(MUL, "Mul", x, y, name)


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x / y (scope ``truediv``)."""
    return _binary(REAL_DIV, "truediv", x, y, name)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """tf.divide: x / y."""
    return _binary(REAL_DIV, "truediv", x, y, name)


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x // y; no gradient, as in TF1."""
    return _binary(FLOOR_DIV, "floordiv", x, y, name)


def floormod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x % y: op ``FloorMod`` (the ``%`` operator names it ``mod``)."""
    return _binary(FLOOR_MOD, "FloorMod", x, y, name)


def pow_operator(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x ** y`` written as an operator: scope ``pow``."""
    return _binary(POW, "pow", x, y, name)


def pow(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.pow(x, y)``: scope ``Pow``."""
    return _binary(POW, "Pow", x, y, name)


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise max; the gradient goes to the larger input (to x on ties)."""
    return _binary(MAXIMUM, "Maximum", x, y, name)


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise min; the gradient goes to the smaller input (to x on ties)."""
    return _binary(MINIMUM, "Minimum", x, y, name)


# -- comparisons (no gradient) --------------------------------------------------------------
def _comparison(type_: str, forward: Any) -> OpDef:
    return _elementwise(type_, forward, None, binary=True, dtype=_to_bool)


LESS = _comparison("Less", np.less)
LESS_EQUAL = _comparison("LessEqual", np.less_equal)
GREATER = _comparison("Greater", np.greater)
GREATER_EQUAL = _comparison("GreaterEqual", np.greater_equal)
EQUAL = _comparison("Equal", np.equal)
NOT_EQUAL = _comparison("NotEqual", np.not_equal)


def less(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(LESS, "Less", x, y, name)


def less_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(LESS_EQUAL, "LessEqual", x, y, name)


def greater(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(GREATER, "Greater", x, y, name)


def greater_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(GREATER_EQUAL, "GreaterEqual", x, y, name)


def equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(EQUAL, "Equal", x, y, name)


def not_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(NOT_EQUAL, "NotEqual", x, y, name)


# -- unary functions ------------------------------------------------------------------------
def _neg_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [negative(g)]


def _abs_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [multiply(g, sign(op.inputs[0]))]


def _log_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [truediv(g, op.inputs[0])]


def _exp_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [multiply(g, op.outputs[0])]


def _sqrt_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [truediv(multiply(g, 0.5), op.outputs[0])]


def _square_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [multiply(g, multiply(op.inputs[0], 2.0))]


def _log1p_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [truediv(g, add(op.inputs[0], 1.0))]


def _expm1_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [multiply(g, add(op.outputs[0], 1.0))]


def _sigmoid_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    z = op.outputs[0]
    return [multiply(g, multiply(z, subtract(1.0, z)))]


def _softplus_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [multiply(g, sigmoid(op.inputs[0]))]


def _zero_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [zeros_like(op.inputs[0])]


def _np_sigmoid(x: np.ndarray) -> np.ndarray:
    # Two-branch form: exp of a non-positive number only, so no overflow for large |x|.
    e = np.exp(np.negative(np.abs(x)))
    return np.where(np.greater_equal(x, 0), 1.0 / (1.0 + e), e / (1.0 + e)).astype(
        np.result_type(x), copy=False
    )


def _np_softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(np.zeros((), dtype=np.result_type(x)), x)


def _float_unary(type_: str, forward: Any, grad: Any) -> OpDef:
    return _elementwise(type_, forward, grad, binary=False, dtype=_float_only)


NEG = _elementwise("Neg", np.negative, _neg_grad, binary=False)
ABS = _elementwise("Abs", np.abs, _abs_grad, binary=False)
SIGN = _elementwise("Sign", np.sign, _zero_grad, binary=False)
FLOOR = _float_unary("Floor", np.floor, _zero_grad)
LOG = _float_unary("Log", np.log, _log_grad)
EXP = _float_unary("Exp", np.exp, _exp_grad)
SQRT = _float_unary("Sqrt", np.sqrt, _sqrt_grad)
SQUARE = _elementwise("Square", np.square, _square_grad, binary=False)
LOG1P = _float_unary("Log1p", np.log1p, _log1p_grad)
EXPM1 = _float_unary("Expm1", np.expm1, _expm1_grad)
SIGMOID = _float_unary("Sigmoid", _np_sigmoid, _sigmoid_grad)
SOFTPLUS = _float_unary("Softplus", _np_softplus, _softplus_grad)
IS_FINITE = _elementwise("IsFinite", np.isfinite, None, binary=False, dtype=_to_bool)
LOGICAL_NOT = _elementwise("LogicalNot", np.logical_not, None, binary=False, dtype=_to_bool)
LOGICAL_AND = _comparison("LogicalAnd", np.logical_and)
LOGICAL_OR = _comparison("LogicalOr", np.logical_or)


def negative(x: Any, name: str | None = None) -> Tensor:
    """-x (op ``Neg``)."""
    return _unary(NEG, x, name)


def abs(x: Any, name: str | None = None) -> Tensor:
    """|x|; gradient sign(x) (zero at 0, as TF)."""
    return _unary(ABS, x, name)


def sign(x: Any, name: str | None = None) -> Tensor:
    return _unary(SIGN, x, name)


def floor(x: Any, name: str | None = None) -> Tensor:
    return _unary(FLOOR, x, name)


def log(x: Any, name: str | None = None) -> Tensor:
    """Natural logarithm (op ``Log``)."""
    return _unary(LOG, x, name)


def exp(x: Any, name: str | None = None) -> Tensor:
    return _unary(EXP, x, name)


def sqrt(x: Any, name: str | None = None) -> Tensor:
    return _unary(SQRT, x, name)


def square(x: Any, name: str | None = None) -> Tensor:
    return _unary(SQUARE, x, name)


def log1p(x: Any, name: str | None = None) -> Tensor:
    """log(1 + x), accurate for small x."""
    return _unary(LOG1P, x, name)


def expm1(x: Any, name: str | None = None) -> Tensor:
    """exp(x) - 1, accurate for small x."""
    return _unary(EXPM1, x, name)


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """1 / (1 + exp(-x)), computed without overflow."""
    return _unary(SIGMOID, x, name)


def softplus(x: Any, name: str | None = None) -> Tensor:
    """log(1 + exp(x)), computed without overflow."""
    return _unary(SOFTPLUS, x, name)


def is_finite(x: Any, name: str | None = None) -> Tensor:
    return _unary(IS_FINITE, x, name)


def logical_not(x: Any, name: str | None = None) -> Tensor:
    return _unary(LOGICAL_NOT, x, name)


def logical_and(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(LOGICAL_AND, "LogicalAnd", x, y, name)


def logical_or(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary(LOGICAL_OR, "LogicalOr", x, y, name)


# -- trigonometry and tanh ------------------------------------------------------------------
def _tanh_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    z = op.outputs[0]
    return [multiply(g, subtract(1.0, multiply(z, z)))]


def _sin_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [multiply(g, cos(op.inputs[0]))]


def _cos_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [negative(multiply(g, sin(op.inputs[0])))]


TANH = _float_unary("Tanh", np.tanh, _tanh_grad)
SIN = _float_unary("Sin", np.sin, _sin_grad)
COS = _float_unary("Cos", np.cos, _cos_grad)


def tanh(x: Any, name: str | None = None) -> Tensor:
    """Hyperbolic tangent; its gradient reuses the output: g * (1 - tanh(x)**2)."""
    return _unary(TANH, x, name)


def sin(x: Any, name: str | None = None) -> Tensor:
    return _unary(SIN, x, name)


def cos(x: Any, name: str | None = None) -> Tensor:
    return _unary(COS, x, name)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None):
    """``t`` limited to [min, max]; the gradient passes where t is inside (to t on ties)."""
    graph = graph_of([t, clip_value_min, clip_value_max])
    with graph.as_default(), graph.name_scope(name or "clip_by_value"):
        return minimum(maximum(t, clip_value_min), clip_value_max)


# -- matrix product -------------------------------------------------------------------------
def _swap_last(x: np.ndarray) -> np.ndarray:
    return np.swapaxes(x, -1, -2)


def _np_matmul(a: np.ndarray, b: np.ndarray, transpose_a: bool, transpose_b: bool):
    return np.matmul(_swap_last(a) if transpose_a else a, _swap_last(b) if transpose_b else b)


def _matmul_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    a, b = shapes
    if a.dims is None or b.dims is None:
        return TensorShape(None)
    if len(a.dims) < 2 or len(b.dims) < 2:
        raise ValueError(f"Shape must be rank 2 but is rank {min(len(a.dims), len(b.dims))}")
    rows, inner_a = a.dims[-2:] if not attrs["transpose_a"] else a.dims[-2:][::-1]
    inner_b, cols = b.dims[-2:] if not attrs["transpose_b"] else b.dims[-2:][::-1]
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise ValueError(
            f"Dimensions must be equal, but are {inner_a} and {inner_b} for 'MatMul' with "
            f"input shapes: {a}, {b}."
        )
    batch = broadcast(TensorShape(a.dims[:-2]), TensorShape(b.dims[:-2]))
    return TensorShape([*batch.dims, rows, cols])  # type: ignore[misc]


def _matmul_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """TF's rule for each of the four transpose settings: every gradient is one matmul."""
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        ga, gb = (lambda: matmul(g, b, transpose_b=True)), (lambda: matmul(a, g, transpose_a=True))
    elif not ta:
        ga, gb = (lambda: matmul(g, b)), (lambda: matmul(g, a, transpose_a=True))
    elif not tb:
        ga, gb = (lambda: matmul(b, g, transpose_b=True)), (lambda: matmul(a, g))
    else:
        ga = lambda: matmul(b, g, transpose_a=True, transpose_b=True)  # noqa: E731
        gb = lambda: matmul(g, a, transpose_a=True, transpose_b=True)  # noqa: E731
    return [ga() if needs[0] else None, gb() if needs[1] else None]


MATMUL = register(OpDef("MatMul", _np_matmul, _matmul_shape, _matmul_grad))


def matmul(
    a: Any,
    b: Any,
    transpose_a: bool = False,
    transpose_b: bool = False,
    name: str | None = None,
    **unsupported: Any,
) -> Tensor:
    """The matrix product ``a @ b`` (batched over leading axes), either side transposed."""
    if any(unsupported.values()):
        raise NotImplementedError(
            f"matmul options {sorted(k for k, v in unsupported.items() if v)} are not "
            "implemented in gaussfit.engine"
        )
    graph = graph_of([a, b])
    with graph.as_default():
        ta, tb = _binary_pair(a, b)
        return make_op(
            MATMUL, [ta, tb], name, transpose_a=bool(transpose_a), transpose_b=bool(transpose_b)
        )


# -- positions of extremes ------------------------------------------------------------------
def _np_argmax(x: np.ndarray, axis: int, output_type: DType) -> np.ndarray:
    return np.asarray(np.argmax(x, axis=axis), dtype=output_type.numpy)


def _np_argmin(x: np.ndarray, axis: int, output_type: DType) -> np.ndarray:
    return np.asarray(np.argmin(x, axis=axis), dtype=output_type.numpy)


def _arg_shape(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return reduced(shapes[0], (attrs["axis"],), False)


def _arg_dtype(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]) -> DType:
    return attrs["output_type"]


ARG_MAX = register(OpDef("ArgMax", _np_argmax, _arg_shape, None, dtype=_arg_dtype))
ARG_MIN = register(OpDef("ArgMin", _np_argmin, _arg_shape, None, dtype=_arg_dtype))


def _arg(op_def: OpDef, x: Any, axis: Any, dimension: Any, output_type: Any, name: Any):
    if axis is None:
        axis = 0 if dimension is None else dimension  # TF1: no axis means axis 0
    return make_op(
        op_def,
        [convert_to_tensor(x)],
        name,
        axis=int(axis),
        output_type=as_dtype(output_type),
    )


def argmax(
    input: Any,
    axis: Any = None,
    name: str | None = None,
    dimension: Any = None,
    output_type: Any = int64,
) -> Tensor:
    """The index of the largest value along ``axis`` (the first on ties), as int64."""
    return _arg(ARG_MAX, input, axis, dimension, output_type, name)


def argmin(
    input: Any,
    axis: Any = None,
    name: str | None = None,
    dimension: Any = None,
    output_type: Any = int64,
) -> Tensor:
    """The index of the smallest value along ``axis`` (the first on ties), as int64."""
    return _arg(ARG_MIN, input, axis, dimension, output_type, name)


register_operators(
    add=lambda x, y: add(x, y, name="add"),
    sub=lambda x, y: subtract(x, y, name="sub"),
    mul=lambda x, y: multiply(x, y, name="mul"),
    truediv=truediv,
    floordiv=floordiv,
    mod=lambda x, y: floormod(x, y, name="mod"),
    pow=pow_operator,
    matmul=matmul,
    neg=negative,
    abs=abs,
    less=less,
    less_equal=less_equal,
    greater=greater,
    greater_equal=greater_equal,
)
