"""The rewrite rules applied while a plan is lowered (``lowering.py``), one function per op type.

A rule gets the builder, the op's input nodes, its attributes and its dtype, and returns the
node to use instead, or None to keep the op as it is. Because every node's shape is known (a
plan is lowered for one tuple of input shapes), the rules can remove most of what reverse-mode
differentiation adds around broadcasting, and a log-likelihood's gradient becomes a few sums of
forward intermediates.

Rules that give exactly the same numbers:

* ``x ** 1.0`` → ``x``; ``Identity``/``StopGradient`` → their input; ``x * 1``, ``x / 1``,
  ``x - 0`` → ``x``; ``-1 * x`` → ``-x``; ``--x`` → ``x``;
* ``Shape``, ``Size`` of a known shape → constants; ``ZerosLike``/``OnesLike`` → a broadcast
  constant; ops whose inputs are all constants are computed now (constant folding);
* ``SumToShape(a, S)`` with ``a`` already of shape ``S`` → ``a``;
* an elementwise op reading ``BroadcastTo(s, S)`` reads ``s`` (numpy broadcasts it anyway),
  and the result is broadcast only if its shape would otherwise change;
* two nodes of the same type with the same inputs and attributes are one node (common
  subexpression elimination); nodes no fetch or write needs are dropped (dead code).

Rules that may change the last bits of a result (floating point only): ``x ** 2.0`` →
``square(x)`` (numpy's ``power`` may round differently from ``x * x``), and sums reassociated:

* ``sum(c * v)`` → ``c * sum(v)``, ``sum(v / c)`` → ``sum(v) / c``, ``sum(-v)`` → ``-sum(v)``,
  ``sum(c ± v)`` → ``n*c ± sum(v)``, ``sum(BroadcastTo(s))`` → ``n*s`` for a scalar ``c``, ``s``
  and ``n`` elements per result; ``sum(a ± b)`` → ``sum(a) ± sum(b)``;
* a full ``sum(a * b)`` or ``sum(square(a))`` → one dot product; ``SumToShape(v, ())`` →
  ``sum(v)``; ``AddN`` → a chain of additions (exact: the order its forward rule adds in).

The rewrites of sums apply only where they make an array unnecessary (see
``lowering.lower``): where the array is needed anyway, its sum is taken as the interpreter takes
it. Cancellation is then the only risk they add, and it is bounded: ``n*c - sum(v)`` is off by
about what a change of ``c`` in its last bit would make.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from gaussfit.engine.compiler import kernels
from gaussfit.engine.compiler.nodes import (
    Node,
    Shape,
    const_shape,
    infer_shape,
    is_broadcast,
    sum_key,
)
from gaussfit.engine.ops import math_ops, reduction_ops

if TYPE_CHECKING:
    from gaussfit.engine.compiler.lowering import Builder


def _is_const(node: Node, value: float) -> bool:
    """A constant whose every element equals ``value``."""
    return node.kind == "const" and node.value is not None and bool(np.all(node.value == value))


def _is_float(dtype: np.dtype) -> bool:
    return dtype.kind == "f"


def _same(node: Node, shape: Shape | None, dtype: np.dtype) -> bool:
    """Whether ``node`` could stand for a result of this shape and dtype unchanged."""
    return shape is not None and node.shape == shape and node.dtype == dtype


# -- rules: each returns a replacement node, or None to keep the op as it is --------------------
Rule = Callable[["Builder", list[Node], dict[str, Any], np.dtype], Node | None]


def _pass_through(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    return x[0]


def _pow(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    base, exponent = x
    if exponent.kind != "const" or np.ndim(exponent.value) != 0 or base.dtype != dtype:
        return None
    if exponent.value == 1:
        return base
    if exponent.value == 2:
        return b.op(math_ops.SQUARE, base)
    return None


def _mul(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    shape = infer_shape(math_ops.MUL, x, attrs)
    for this, other in ((x[0], x[1]), (x[1], x[0])):
        if _same(other, shape, dtype) and _is_const(this, 1):
            return other
        if _same(other, shape, dtype) and _is_const(this, -1) and _is_float(dtype):
            return b.op(math_ops.NEG, other)
    return None


def _div(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    shape = infer_shape(math_ops.REAL_DIV, x, attrs)
    return x[0] if _same(x[0], shape, dtype) and _is_const(x[1], 1) else None


def _sub(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    shape = infer_shape(math_ops.SUB, x, attrs)
    return x[0] if _same(x[0], shape, dtype) and _is_const(x[1], 0) else None


def _neg(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    return x[0].inputs[0] if x[0].type == "Neg" else None


def _shape(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    if x[0].shape is None:
        return None
    return b.const(np.array(x[0].shape, dtype=np.int32), dtype)


def _size(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    if x[0].shape is None:
        return None
    return b.const(np.array(math.prod(x[0].shape), dtype=np.int32), dtype)


def _filled(fill: int) -> Rule:
    def rule(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
        if x[0].shape is None:
            return None
        return b.broadcast_to(b.scalar(fill, dtype), x[0].shape)

    return rule


def _sum_to_shape(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    g = x[0]
    target = const_shape(x[1])
    if target is None or g.shape is None:
        return None
    if g.shape == target and g.dtype == dtype:
        return g
    if target == () and _is_float(dtype) and g.dtype == dtype:
        return b.op(reduction_ops.SUM, g, axis=None, keepdims=False)
    return None


def _add_n(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    """AddN as the chain of additions its forward rule performs (so arrays can be pooled)."""
    total = x[0]
    for term in x[1:]:
        total = b.op(math_ops.ADD, total, term)
    return total


def _sum(b: Builder, x: list[Node], attrs: dict, dtype: np.dtype) -> Node | None:
    """Rewrite a floating-point sum of an array that is computed only to be summed.

    Terms and factors that are scalars move out of the sum, sums of differences become
    differences of sums, and a sum of a product of two arrays becomes one dot product, so the
    array itself need not be computed. Whether it is needed elsewhere is known only once the
    whole plan is lowered: ``lower`` then lowers again, keeping the sums of arrays that
    stayed needed as they were (rewriting them would save nothing and only reassociate).
    """
    v = x[0]
    shape = infer_shape(reduction_ops.SUM, x, attrs)
    if shape is None or not _is_float(dtype) or v.dtype != dtype or math.prod(v.shape) == 0:
        return None
    if v.shape == shape:  # nothing to add up
        return v
    if is_broadcast(v) and v.inputs[0].is_scalar:
        return _times_count(b, v.inputs[0], v.shape, shape)
    if not _may_rewrite(b, v):
        return None
    if v.type == "Neg":
        b.distributed.add(sum_key(v))
        return b.op(math_ops.NEG, b.op(reduction_ops.SUM, v.inputs[0], **attrs))
    if v.type in ("Add", "Sub") and len(v.inputs) == 2:
        return _sum_of_terms(b, v, attrs, shape)
    if v.type in ("Mul", "Square", "RealDiv"):
        return _sum_of_product(b, v, attrs, shape)
    return None


def _may_rewrite(b: Builder, node: Node) -> bool:
    return node.kind == "pure" and sum_key(node) not in b.keep_sums_of


def _times_count(b: Builder, scalar: Node, summed: Shape, shape: Shape) -> Node:
    """The sum of ``scalar`` repeated over an array of shape ``summed``, reduced to ``shape``."""
    count = math.prod(summed) // max(math.prod(shape), 1)
    return b.broadcast_to(b.op(math_ops.MUL, scalar, b.scalar(count, scalar.dtype)), shape)


def _sum_of_terms(b: Builder, v: Node, attrs: dict, shape: Shape) -> Node | None:
    """sum(a ± b) = sum(a) ± sum(b), a scalar term counted once per element."""
    parts = []
    for term in v.inputs:
        if term.dtype != v.dtype:
            return None
        if term.is_scalar:
            parts.append(_times_count(b, term, v.shape, shape))  # type: ignore[arg-type]
        elif term.shape == v.shape:
            parts.append(b.op(reduction_ops.SUM, term, **attrs))
        else:  # broadcast against the other term: leave it
            return None
    b.distributed.add(sum_key(v))
    return b.op(math_ops.ADD if v.type == "Add" else math_ops.SUB, *parts)


def _sum_of_product(b: Builder, v: Node, attrs: dict, shape: Shape) -> Node | None:
    """sum(±c * a * b / d) = ±c * dot(a, b) / d for scalars c, d (any number of them)."""
    scalars: list[Node] = []
    divisors: list[Node] = []
    arrays: list[Node] = []
    opened: list[Node] = []
    negate = False

    def collect(node: Node, top: bool) -> None:
        nonlocal negate
        if node.is_scalar:
            scalars.append(node)
            return
        opens = node.type in ("Neg", "Square", "Mul", "RealDiv") and node.dtype == v.dtype
        if node.type == "RealDiv" and not node.inputs[1].is_scalar:
            opens = False
        if not opens or not (top or _may_rewrite(b, node)):
            arrays.append(node)
            return
        opened.append(node)
        if node.type == "Neg":
            negate = not negate
            collect(node.inputs[0], False)
        elif node.type == "Square":
            collect(node.inputs[0], False)
            collect(node.inputs[0], False)
        elif node.type == "Mul":
            collect(node.inputs[0], False)
            collect(node.inputs[1], False)
        else:
            collect(node.inputs[0], False)
            divisors.append(node.inputs[1])

    collect(v, True)
    full = attrs.get("axis") is None and not attrs.get("keepdims")
    as_dot = (
        full
        and v.dtype == np.float64
        and len(arrays) == 2
        and all(a.shape == v.shape for a in arrays)
    )
    if not (scalars or divisors or negate or as_dot):
        return None
    b.distributed.update(sum_key(n) for n in opened)
    if as_dot and arrays[0] is arrays[1]:
        total = b.make("SumOfSquares", kernels.sum_of_squares, [arrays[0]], {}, (), v.dtype)
    elif as_dot:
        total = b.make("SumOfProducts", kernels.sum_of_products, arrays, {}, (), v.dtype)
    else:
        product = arrays[0]
        for factor in arrays[1:]:
            product = b.op(math_ops.MUL, product, factor)
        if product is v or product.shape != v.shape:
            return None
        sum_forward = reduction_ops.SUM.forward
        total = b.make("Sum", sum_forward, [product], attrs, shape, v.dtype)  # no rules: done
    for factor in scalars:
        total = b.op(math_ops.MUL, factor, total)
    for divisor in divisors:
        total = b.op(math_ops.REAL_DIV, total, divisor)
    return b.op(math_ops.NEG, total) if negate else total


RULES: dict[str, Rule] = {
    "Identity": _pass_through,
    "StopGradient": _pass_through,
    "Pow": _pow,
    "Mul": _mul,
    "RealDiv": _div,
    "Sub": _sub,
    "Neg": _neg,
    "Shape": _shape,
    "Size": _size,
    "ZerosLike": _filled(0),
    "OnesLike": _filled(1),
    "SumToShape": _sum_to_shape,
    "Sum": _sum,
    "AddN": _add_n,
}
