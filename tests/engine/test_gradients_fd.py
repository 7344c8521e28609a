"""Every differentiable op's first and second derivatives against central finite differences.

Each case pairs an engine expression with an independent numpy/scipy reference of the same
function. For random inputs on a grid of shapes (scalars, vectors, rows, columns and matrices
broadcasting against each other), with placeholders whose shapes are known statically or not:

- the forward value and its static shape match the reference;
- ``gradients(y, xs, grad_ys=w)`` matches central differences of ``sum(w * reference(xs))``;
- the Hessian-vector product ``gradients(sum_i gradients(y, xs)[i] * v_i, xs)`` matches central
  differences of the (already checked) first gradient along ``v``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

import gaussfit.engine as tf

FD = settings(max_examples=25, deadline=None)
FD_FEW = settings(max_examples=10, deadline=None)
FD_INCOMPLETE = settings(max_examples=6, deadline=None)

UNARY_SHAPES = [((),), ((4,),), ((1, 4),), ((3, 4),), ((3, 1),)]
BINARY_SHAPES = [
    ((), ()),
    ((4,), (4,)),
    ((3, 4), (3, 4)),
    ((3, 1), (1, 4)),
    ((1, 4), (3, 1)),
    ((3, 4), ()),
    ((), (3, 4)),
    ((4,), (3, 4)),
    ((3, 4), (1, 4)),
    ((3, 1), (3, 4)),
]
MATRIX_SHAPES = [((3, 4),), ((1, 4),), ((3, 1),)]
TERNARY_SHAPES = [((), (), ()), ((4,), (4,), (4,)), ((3, 1), (1, 4), (3, 4)), ((), (3, 1), (4,))]


# -- input domains: where each op is smooth --------------------------------------------------
def normal(rng, shapes):
    return [rng.normal(size=s) for s in shapes], {}


def uniform(low, high):
    def draw(rng, shapes):
        return [rng.uniform(low, high, size=s) for s in shapes], {}

    return draw


def away_from_zero(rng, shapes):
    return [rng.choice([-1.0, 1.0], size=s) * rng.uniform(0.2, 2.0, size=s) for s in shapes], {}


def base_and_exponent(rng, shapes):
    return [rng.uniform(0.5, 2.0, size=shapes[0]), rng.uniform(-2.0, 2.0, size=shapes[1])], {}


def nonzero_divisor(rng, shapes):
    x = rng.normal(size=shapes[0])
    y = rng.choice([-1.0, 1.0], size=shapes[1]) * rng.uniform(0.5, 2.0, size=shapes[1])
    return [x, y], {}


def no_ties(rng, shapes):
    """Two operands at least 0.1 apart everywhere (after broadcasting)."""
    while True:
        x, y = (rng.normal(size=s) for s in shapes)
        if np.min(np.abs(np.subtract(x, y)), initial=np.inf) > 0.1:
            return [x, y], {}


def distinct(rng, shapes):
    """Values at least 0.2 apart, so max/min have no ties within finite-difference steps."""
    out = []
    for s in shapes:
        n = int(np.prod(s))
        out.append((rng.permutation(n) * 0.3 + rng.uniform(-0.05, 0.05, size=n)).reshape(s))
    return out, {}


def shapes_and_unit_x(rng, shapes):
    """Two positive shape parameters and a point inside (0, 1), as the incomplete beta takes."""
    a, b, x = shapes
    return [
        rng.uniform(0.5, 5.0, size=a),
        rng.uniform(0.5, 5.0, size=b),
        rng.uniform(0.05, 0.95, size=x),
    ], {}


def with_condition(rng, shapes):
    x, y = (rng.normal(size=s) for s in shapes)
    condition = rng.random(np.broadcast_shapes(*shapes)) < 0.5
    return [x, y], {"condition": condition}


@dataclass
class Case:
    """An engine expression ``build(*tensors, **params)`` and its reference ``ref``."""

    name: str
    build: Callable[..., Any]
    ref: Callable[..., Any]
    shapes: list[tuple[tuple[int, ...], ...]]
    inputs: Callable[..., Any] = normal
    dtypes: tuple[Any, ...] | None = None
    rtol: float = 1e-6
    hvp_eps: float = 1e-5
    hvp_rtol: float = 1e-5

    def __str__(self) -> str:
        return self.name


def unary(name, build, ref, inputs=normal, **kw):
    return Case(name, build, ref, UNARY_SHAPES, inputs, **kw)


def binary(name, build, ref, inputs=normal, **kw):
    return Case(name, build, ref, BINARY_SHAPES, inputs, **kw)


ORDERS = np.array([[0.0], [1.0], [2.0]])


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


ELEMENTWISE = [
    binary("add", lambda x, y: x + y, np.add),
    binary("add_fn", tf.add, np.add),
    binary("subtract", lambda x, y: x - y, np.subtract),
    binary("multiply", lambda x, y: x * y, np.multiply),
    binary("truediv", lambda x, y: x / y, np.divide, nonzero_divisor),
    binary("pow_tensor_exponent", lambda x, y: x**y, np.power, base_and_exponent),
    binary("pow_fn", tf.pow, np.power, base_and_exponent),
    binary("maximum", tf.maximum, np.maximum, no_ties),
    binary("minimum", tf.minimum, np.minimum, no_ties),
    binary(
        "where",
        lambda x, y, condition: tf.where(tf.constant(condition), x, y),
        lambda x, y, condition: np.where(condition, x, y),
        with_condition,
    ),
    unary("pow_const_2", lambda x: x**2.0, lambda x: x**2.0),
    unary("pow_const_1", lambda x: x**1.0, lambda x: x**1.0),
    unary("pow_const_0.5", lambda x: x**0.5, np.sqrt, uniform(0.3, 3.0)),
    unary("pow_const_3", lambda x: x**3.0, lambda x: x**3.0),
    unary("pow_const_0", lambda x: x**0.0, lambda x: np.ones_like(x)),
    unary("pow_fn_const_3", lambda x: tf.pow(x, 3.0), lambda x: x**3.0),
    unary("pow_const_-1.5", lambda x: x**-1.5, lambda x: x**-1.5, uniform(0.5, 2.0)),
    unary("rpow", lambda x: 2.0**x, lambda x: 2.0**x),
    unary("negative", lambda x: -x, np.negative),
    unary("negative_fn", tf.negative, np.negative),
    unary("abs", abs, np.abs, away_from_zero),
    unary("log", tf.log, np.log, uniform(0.2, 3.0)),
    unary("exp", tf.exp, np.exp),
    unary("sqrt", tf.sqrt, np.sqrt, uniform(0.2, 3.0)),
    unary("square", tf.square, np.square),
    unary("log1p", tf.log1p, np.log1p, uniform(-0.5, 2.0)),
    unary("expm1", tf.expm1, np.expm1),
    unary("sigmoid", tf.sigmoid, _sigmoid, lambda rng, s: ([3 * rng.normal(size=s[0])], {})),
    unary("softplus", tf.softplus, lambda x: np.log1p(np.exp(x))),
    unary("lgamma", tf.lgamma, special.gammaln, uniform(0.5, 5.0)),
    unary("digamma", tf.digamma, special.psi, uniform(0.5, 5.0)),
    unary("polygamma_0", lambda x: tf.polygamma(0.0, x), special.psi, uniform(0.5, 5.0)),
    unary(
        "polygamma_1",
        lambda x: tf.polygamma(1.0, x),
        lambda x: special.polygamma(1, x),
        uniform(0.5, 5.0),
    ),
    unary(
        "polygamma_2",
        lambda x: tf.polygamma(2, x),
        lambda x: special.polygamma(2, x),
        uniform(0.5, 5.0),
    ),
    Case(
        "polygamma_broadcast_order",
        lambda x: tf.polygamma(tf.constant(ORDERS), x),
        lambda x: special.polygamma(ORDERS.astype(int), x),
        [((),), ((4,),), ((1, 4),), ((3, 4),)],
        uniform(0.5, 5.0),
    ),
    unary("erf", tf.erf, special.erf),
    unary("erfc", tf.erfc, special.erfc),
    unary("erfcx", tf.erfcx, special.erfcx),
    unary("ndtr", tf.ndtr, special.ndtr),
    unary(
        "log_ndtr", tf.log_ndtr, special.log_ndtr, lambda rng, s: ([5 * rng.normal(size=s[0])], {})
    ),
    unary("identity", tf.identity, lambda x: x),
    unary(
        "cast_64_to_32_and_back",
        lambda x: tf.cast(tf.square(tf.cast(x, tf.float32)), tf.float64),
        np.square,
        rtol=1e-5,
        hvp_eps=1e-2,
        hvp_rtol=1e-4,
    ),
    unary(
        "cast_32_to_64",
        lambda x: tf.square(tf.cast(x, tf.float64)),
        np.square,
        dtypes=(tf.float32,),
        rtol=1e-5,
        hvp_eps=1e-2,
        hvp_rtol=1e-4,
    ),
    unary("add_n", lambda x: tf.add_n([x, x * x, tf.exp(x)]), lambda x: x + x * x + np.exp(x)),
]


# The incomplete gamma and beta functions: each evaluation of a shape derivative runs a series
# or continued fraction, so fewer examples (their tails are covered in test_special_functions).
INCOMPLETE = [
    binary("igamma", tf.igamma, special.gammainc, uniform(0.3, 6.0)),
    binary("igammac", tf.igammac, special.gammaincc, uniform(0.3, 6.0)),
    binary(
        "log_igamma", tf.log_igamma, lambda a, x: np.log(special.gammainc(a, x)), uniform(0.3, 6.0)
    ),
    binary(
        "log_igammac",
        tf.log_igammac,
        lambda a, x: np.log(special.gammaincc(a, x)),
        uniform(0.3, 6.0),
    ),
    Case("betainc", tf.betainc, special.betainc, TERNARY_SHAPES, shapes_and_unit_x),
    Case(
        "log_betainc",
        tf.log_betainc,
        lambda a, b, x: np.log(special.betainc(a, b, x)),
        TERNARY_SHAPES,
        shapes_and_unit_x,
    ),
]


def _naive_logsumexp(x, axis, keepdims):
    # scipy's logsumexp turns a 0-d input into shape (1,) under keepdims; inputs here are small.
    return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


def _reduction_cases():
    reductions = [
        ("reduce_sum", tf.reduce_sum, np.sum, normal),
        ("reduce_mean", tf.reduce_mean, np.mean, normal),
        ("reduce_max", tf.reduce_max, np.max, distinct),
        ("reduce_min", tf.reduce_min, np.min, distinct),
        ("reduce_logsumexp", tf.reduce_logsumexp, _naive_logsumexp, normal),
    ]
    cases = []
    for name, fn, ref, inputs in reductions:
        for axis in (None, 0, 1, -1, (0, 1)):
            for keepdims in (False, True):

                def build(x, fn=fn, axis=axis, keepdims=keepdims):
                    return fn(x, axis=axis, keepdims=keepdims)

                def reference(x, ref=ref, axis=axis, keepdims=keepdims):
                    return ref(x, axis=axis, keepdims=keepdims)

                shapes = list(MATRIX_SHAPES)
                if axis in (None, 0, -1):
                    shapes.append(((4,),))
                if axis is None:
                    shapes.append(((),))
                cases.append(
                    Case(
                        f"{name}-axis={axis}-keepdims={keepdims}", build, reference, shapes, inputs
                    )
                )
    return cases


def _log_softmax(x, axis):
    return x - special.logsumexp(x, axis=axis, keepdims=True)


STRUCTURE = [
    Case(
        f"{name}-axis={axis}",
        lambda x, fn=fn, axis=axis: fn(x, axis=axis),
        lambda x, ref=ref, axis=axis: ref(x, axis),
        shapes,
    )
    for name, fn, ref in (
        ("softmax", tf.softmax, lambda x, axis: special.softmax(x, axis=axis)),
        ("log_softmax", tf.log_softmax, _log_softmax),
    )
    for axis, shapes in ((-1, [((4,),), *MATRIX_SHAPES]), (0, MATRIX_SHAPES))
]
STRUCTURE += [
    Case(
        f"stack-axis={axis}",
        lambda *xs, axis=axis: tf.stack(list(xs), axis=axis),
        lambda *xs, axis=axis: np.stack(xs, axis=axis),
        [(s, s, s) for s in shapes],
    )
    for axis, shapes in (
        (0, [(), (4,), (3, 4)]),
        (1, [(4,), (3, 4)]),
        (-1, [(), (4,), (3, 4)]),
    )
]
STRUCTURE += [
    Case(
        f"concat-axis={axis}",
        lambda *xs, axis=axis: tf.concat(list(xs), axis=axis),
        lambda *xs, axis=axis: np.concatenate(xs, axis=axis),
        shapes,
    )
    for axis, shapes in (
        (0, [((3, 4), (2, 4), (1, 4)), ((2,), (3,), (1,))]),
        (1, [((3, 1), (3, 2), (3, 4))]),
        (-1, [((3, 1), (3, 2), (3, 4)), ((2,), (3,), (1,))]),
    )
]
STRUCTURE += [
    Case(
        f"reshape-{target}",
        lambda x, target=target: tf.reshape(tf.exp(x), target),
        lambda x, target=target: np.reshape(np.exp(x), target),
        shapes,
    )
    for target, shapes in (
        ([4, 3], [((3, 4),)]),
        ([2, -1], [((3, 4),), ((4,),)]),
        ([-1], [((3, 4),), ((3, 1),)]),
        ([2, 2], [((4,),), ((1, 4),)]),
    )
]
STRUCTURE += [
    Case(
        f"getitem-{label}",
        lambda x, key=key: tf.square(x)[key],
        lambda x, key=key: np.square(x)[key],
        shapes,
    )
    for label, key, shapes in (
        ("[1]", 1, [((3, 4),), ((4,),), ((3, 1),)]),
        ("[-1]", -1, [((3, 4),), ((4,),)]),
        ("[:,1:3]", (slice(None), slice(1, 3)), [((3, 4),), ((1, 4),)]),
        ("[...,0]", (Ellipsis, 0), [((3, 4),), ((4,),), ((3, 1),)]),
    )
]
STRUCTURE += [
    Case(
        f"broadcast_to-{shape}",
        lambda x: tf.broadcast_to(tf.square(x), [3, 4]),
        lambda x: np.broadcast_to(np.square(x), (3, 4)),
        [(shape,)],
    )
    for shape in ((1, 4), (3, 1), (4,), (), (3, 4))
]


def away_from(*points):
    """Normal values at least 0.1 away from each of ``points`` (kinks of relu and clipping)."""

    def draw(rng, shapes):
        out = []
        for shape in shapes:
            x = rng.normal(size=shape)
            while any(np.min(np.abs(x - p), initial=1.0) < 0.1 for p in points):
                x = rng.normal(size=shape)
            out.append(x)
        return out, {}

    return draw


def labels_in_unit_interval(rng, shapes):
    return [rng.normal(size=shapes[0]), rng.uniform(0.0, 1.0, size=shapes[1])], {}


def _xent(logits, labels):
    return -np.sum(labels * _log_softmax(logits, -1), axis=-1)


def _sigmoid_xent(logits, labels):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


SPARSE_LABELS = np.array([3, 0, 2])
MATMUL_SHAPES = [((3, 4), (4, 2)), ((1, 4), (4, 1)), ((2, 3, 4), (2, 4, 2))]

TF1_OPS = [
    unary("tanh", tf.tanh, np.tanh),
    unary("sin", tf.sin, np.sin),
    unary("cos", tf.cos, np.cos),
    unary("relu", tf.nn.relu, lambda x: np.maximum(x, 0.0), away_from(0.0)),
    unary(
        "clip_by_value",
        lambda x: tf.clip_by_value(x, -0.5, 0.7),
        lambda x: np.clip(x, -0.5, 0.7),
        away_from(-0.5, 0.7),
    ),
    unary("l2_loss", tf.nn.l2_loss, lambda x: np.sum(x * x) / 2),
    Case(
        "fill",
        lambda x: tf.fill([2, 3], tf.exp(x)),
        lambda x: np.full((2, 3), np.exp(x)),
        [((),)],
    ),
    unary("transpose", lambda x: tf.transpose(tf.exp(x)), lambda x: np.transpose(np.exp(x))),
    Case(
        "transpose_perm",
        lambda x: tf.transpose(x * x, perm=[2, 0, 1]),
        lambda x: np.transpose(x * x, (2, 0, 1)),
        [((2, 3, 4),)],
    ),
    Case(
        "tile",
        lambda x: tf.tile(tf.exp(x), [2, 3]),
        lambda x: np.tile(np.exp(x), (2, 3)),
        MATRIX_SHAPES,
    ),
    Case(
        "gather_rows",
        lambda x: tf.gather(x * x, [2, 0, 2]),
        lambda x: np.take(x * x, [2, 0, 2], axis=0),
        [((3, 4),), ((4,),)],
    ),
    Case(
        "gather_axis_1",
        lambda x: tf.gather(tf.exp(x), tf.constant([[0, 3], [1, 1]]), axis=1),
        lambda x: np.take(np.exp(x), [[0, 3], [1, 1]], axis=1),
        [((3, 4),), ((1, 4),)],
    ),
    Case(
        "expand_dims_axis",
        lambda x: tf.expand_dims(x * x, axis=1),
        lambda x: np.expand_dims(x * x, 1),
        [((4,),), ((3, 4),)],
    ),
    Case(
        "squeeze_axis",
        lambda x: tf.squeeze(tf.exp(x), axis=[1]),
        lambda x: np.squeeze(np.exp(x), axis=1),
        [((3, 1),), ((1, 1),)],
    ),
    *[
        Case(
            f"matmul-ta={ta}-tb={tb}",
            lambda a, b, ta=ta, tb=tb: tf.matmul(a, b, transpose_a=ta, transpose_b=tb),
            lambda a, b, ta=ta, tb=tb: np.matmul(
                np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b
            ),
            [
                (sa[:-2] + sa[-2:][:: -1 if ta else 1], sb[:-2] + sb[-2:][:: -1 if tb else 1])
                for sa, sb in MATMUL_SHAPES
            ],
        )
        for ta in (False, True)
        for tb in (False, True)
    ],
    Case(
        "softmax_cross_entropy_v2",
        lambda x, y: tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x),
        _xent,
        [((3, 4), (3, 4)), ((4,), (4,))],
        labels_in_unit_interval,
    ),
    Case(
        "sparse_softmax_cross_entropy",
        lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=SPARSE_LABELS, logits=x),
        lambda x: -np.take_along_axis(_log_softmax(x, -1), SPARSE_LABELS[:, None], 1)[:, 0],
        [((3, 4),)],
    ),
    binary(
        "sigmoid_cross_entropy",
        lambda x, y: tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x),
        _sigmoid_xent,
        lambda rng, shapes: (
            [
                away_from(0.0)(rng, shapes[:1])[0][0],
                rng.uniform(0.0, 1.0, size=shapes[1]),
            ],
            {},
        ),
    ),
    *[
        Case(
            f"cond-{taken}",
            lambda x, y, taken=taken: tf.cond(
                tf.constant(taken), lambda: x * y + tf.exp(x), lambda: tf.square(x - y)
            ),
            lambda x, y, taken=taken: x * y + np.exp(x) if taken else np.square(x - y),
            [((), ()), ((3, 4), (3, 4)), ((4,), (4,))],
        )
        for taken in (True, False)
    ],
]

CASES = ELEMENTWISE + STRUCTURE
REDUCTIONS = _reduction_cases()


# -- the check ------------------------------------------------------------------------------
def _assert_close(actual, expected, rtol, what):
    expected = np.asarray(expected, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64), expected, rtol=rtol, atol=rtol * scale, err_msg=what
    )


def _numeric_gradient(f, arrays, index, eps=1e-6):
    """Central differences of the scalar function ``f`` w.r.t. ``arrays[index]``."""
    out = np.zeros(arrays[index].shape)
    for j in np.ndindex(*arrays[index].shape):
        plus = [a.copy() for a in arrays]
        minus = [a.copy() for a in arrays]
        plus[index][j] += eps
        minus[index][j] -= eps
        out[j] = (f(plus) - f(minus)) / (2 * eps)
    return out


def check_derivatives(case: Case, arrays, params, static: bool, rng) -> None:
    dtypes = case.dtypes or (tf.float64,) * len(arrays)
    arrays = [np.asarray(a, dtype=d.as_numpy_dtype) for a, d in zip(arrays, dtypes, strict=True)]
    exact = [a.astype(np.float64) for a in arrays]
    expected = np.asarray(case.ref(*exact, **params), dtype=np.float64)

    graph = tf.Graph()
    with graph.as_default():
        xs = [
            tf.placeholder(d, shape=a.shape if static else None, name=f"x{i}")
            for i, (a, d) in enumerate(zip(arrays, dtypes, strict=True))
        ]
        y = case.build(*xs, **params)
        w = rng.normal(size=expected.shape)
        grads = tf.gradients(y, xs, grad_ys=tf.constant(w.astype(y.dtype.as_numpy_dtype)))
        assert all(g is not None for g in grads), f"{case}: missing gradient {grads}"
        vs = [rng.normal(size=a.shape) for a in arrays]
        hvp = tf.gradients(
            [g * v.astype(g.dtype.as_numpy_dtype) for g, v in zip(grads, vs, strict=True)], xs
        )

    if static:
        assert y.shape == expected.shape, f"{case}: static shape {y.shape} != {expected.shape}"
        for g, a in zip(grads, arrays, strict=True):
            assert g.shape == a.shape, f"{case}: gradient's static shape {g.shape} != {a.shape}"
    else:
        assert y.shape.is_compatible_with(expected.shape)
    for g, x in zip(grads, xs, strict=True):
        assert g.dtype == x.dtype

    def feed(values):
        return {
            x: np.asarray(v, dtype=x.dtype.as_numpy_dtype) for x, v in zip(xs, values, strict=True)
        }

    connected = [h for h in hvp if h is not None]
    with tf.Session(graph=graph) as session:
        y_value, g_values, h_values = session.run((y, grads, connected), feed(arrays))
        step = case.hvp_eps
        g_plus = session.run(grads, feed([a + step * v for a, v in zip(exact, vs, strict=True)]))
        g_minus = session.run(grads, feed([a - step * v for a, v in zip(exact, vs, strict=True)]))

    assert np.shape(y_value) == expected.shape
    _assert_close(y_value, expected, max(case.rtol, 1e-10), f"{case}: forward value")

    def objective(values):
        return float(np.sum(w * case.ref(*values, **params)))

    for i, g_value in enumerate(g_values):
        assert np.shape(g_value) == arrays[i].shape
        numeric = _numeric_gradient(objective, exact, i)
        _assert_close(g_value, numeric, case.rtol, f"{case}: d/dx{i}")

    h_iter = iter(h_values)
    for i, h in enumerate(hvp):
        actual = next(h_iter) if h is not None else np.zeros(arrays[i].shape)
        numeric = (np.asarray(g_plus[i], float) - np.asarray(g_minus[i], float)) / (2 * step)
        _assert_close(actual, numeric, case.hvp_rtol, f"{case}: Hessian-vector product, x{i}")


def _draw(case: Case, data):
    shapes = data.draw(st.sampled_from(case.shapes), label="shapes")
    static = data.draw(st.booleans(), label="static shapes")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    arrays, params = case.inputs(rng, shapes)
    return arrays, params, static, rng


@pytest.mark.parametrize("case", CASES, ids=str)
@FD
@given(data=st.data())
def test_first_and_second_derivatives_match_finite_differences(case, data):
    check_derivatives(case, *_draw(case, data))


@pytest.mark.parametrize("case", TF1_OPS, ids=str)
@FD_FEW
@given(data=st.data())
def test_tf1_course_op_derivatives_match_finite_differences(case, data):
    check_derivatives(case, *_draw(case, data))


@pytest.mark.parametrize("case", INCOMPLETE, ids=str)
@FD_INCOMPLETE
@given(data=st.data())
def test_incomplete_function_derivatives_match_finite_differences(case, data):
    check_derivatives(case, *_draw(case, data))


@pytest.mark.parametrize("case", REDUCTIONS, ids=str)
@FD_FEW
@given(data=st.data())
def test_reduction_derivatives_match_finite_differences(case, data):
    check_derivatives(case, *_draw(case, data))


# -- Hessians -------------------------------------------------------------------------------
def _numeric_hessian(f, x, h=1e-4):
    """Second-order central differences of a scalar numpy function."""
    n = x.size
    out = np.zeros((n, n))
    flat = x.reshape(-1)
    for i in range(n):
        for j in range(n):
            total = 0.0
            for si, sj, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)):
                p = flat.copy()
                p[i] += si * h
                p[j] += sj * h
                total += sign * f(p.reshape(x.shape))
            out[i, j] = total / (4 * h * h)
    return out.reshape(x.shape + x.shape)


def _small_function(module, x):
    if module is np:
        return np.sum(np.log(x) * x**2) + np.sum(x) ** 2 + np.sum(np.exp(-x) / (1 + x))
    return (
        tf.reduce_sum(tf.log(x) * x**2.0)
        + tf.reduce_sum(x) ** 2.0
        + tf.reduce_sum(tf.exp(-x) / (1.0 + x))
    )


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)], ids=str)
@FD_FEW
@given(seed=st.integers(0, 2**32 - 1))
def test_hessians_match_second_differences(shape, seed):
    x0 = np.random.default_rng(seed).uniform(0.5, 2.0, size=shape)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, shape=shape, name="x")
        (hessian,) = tf.hessians(_small_function(tf, x), x)
    assert hessian.shape == shape + shape
    with tf.Session(graph=graph) as session:
        value = session.run(hessian, {x: x0})
    expected = _numeric_hessian(lambda v: _small_function(np, v), x0)
    _assert_close(value, expected, 1e-5, "hessian")
    np.testing.assert_allclose(
        np.reshape(value, (x0.size, x0.size)), np.reshape(value, (x0.size, x0.size)).T, atol=1e-12
    )


def test_hessians_of_variables_in_the_lab_objective_match_closed_forms():
    x = np.array([1.331, 3.775, 4.025, 1.505, 1.199])
    graph = tf.Graph()
    with graph.as_default():
        mu = tf.Variable(1.5, dtype=tf.float64, name="mu")
        sigma = tf.Variable(0.8, dtype=tf.float64, name="sigma")
        log_p = tf.reduce_sum(
            -0.5 * tf.log(2.0 * np.pi * sigma**2.0) - (x - mu) ** 2.0 / (2.0 * sigma**2.0)
        )
        h_mu, h_sigma = tf.hessians(log_p, [mu, sigma])
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as session:
        session.run(init)
        values = session.run([h_mu, h_sigma])
    n, s = len(x), np.sum((x - 1.5) ** 2)
    assert values[0] == pytest.approx(-n / 0.8**2, rel=1e-12)
    assert values[1] == pytest.approx(n / 0.8**2 - 3 * s / 0.8**4, rel=1e-12)


# -- special points the finite differences avoid --------------------------------------------
def _run(fetches, feed=None):
    with tf.Session() as session:
        return session.run(fetches, feed)


def test_reduce_max_shares_the_gradient_among_ties():
    tf.reset_default_graph()
    x = tf.constant(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]))
    (g_all,) = tf.gradients(tf.reduce_max(x), x)
    (g_rows,) = tf.gradients(tf.reduce_max(x, axis=1), x)
    np.testing.assert_allclose(_run(g_all), [[0, 0.5, 0.5], [0, 0, 0]])
    np.testing.assert_allclose(_run(g_rows), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_pow_exponent_gradient_is_finite_for_non_positive_bases():
    tf.reset_default_graph()
    x = tf.constant(np.array([0.0, -2.0, 3.0]))
    y = tf.constant(np.array([2.0, 2.0, 2.0]))
    z = x**y
    (gy,) = tf.gradients(z, y)
    (gyy,) = tf.gradients(gy, y)
    gy_value, gyy_value = _run([gy, gyy])
    np.testing.assert_allclose(gy_value, [0.0, 0.0, 9.0 * np.log(3.0)])
    np.testing.assert_allclose(gyy_value, [0.0, 0.0, 9.0 * np.log(3.0) ** 2])


def test_logsumexp_is_finite_for_large_and_infinite_inputs():
    tf.reset_default_graph()
    x = tf.constant(np.array([1000.0, 1000.0, -np.inf]))
    value = tf.reduce_logsumexp(x)
    (grad,) = tf.gradients(value, x)
    v, g = _run([value, grad])
    assert v == pytest.approx(1000.0 + np.log(2.0))
    np.testing.assert_allclose(g, [0.5, 0.5, 0.0])


def test_concat_second_derivative_with_unknown_shapes_matches_the_closed_form():
    """Inputs fed through shape-less placeholders: the slices come from run-time shapes."""
    rng = np.random.default_rng(12)
    a_value, b_value = rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    a = tf.placeholder(tf.float64, name="a")
    b = tf.placeholder(tf.float64, name="b")
    joined = tf.concat([a * a * a, tf.exp(b)], axis=0)
    y = tf.reduce_sum(joined * joined)
    ga, gb = tf.gradients(y, [a, b])
    (hb,) = tf.gradients(tf.reduce_sum(gb), b)
    with tf.Session() as session:
        got_a, got_b, got_hb = session.run([ga, gb, hb], {a: a_value, b: b_value})
    np.testing.assert_allclose(got_a, 6 * a_value**5, rtol=1e-12)
    np.testing.assert_allclose(got_b, 2 * np.exp(2 * b_value), rtol=1e-12)
    np.testing.assert_allclose(got_hb, 4 * np.exp(2 * b_value), rtol=1e-12)
