"""The special functions behind CDFs and survival functions, and every derivative rule.

- Values against scipy.special to 1e-12 relative wherever scipy's value is representable,
  and against mpmath at 100 digits (recorded in ``data/special_references.json`` by
  ``data/make_special_references.py``) far into the tails, where the logarithmic versions
  must stay accurate after the values underflow.
- The derivative ops in the shape parameters (``igamma_grad_a``, ``betainc_grad`` and their
  logarithmic versions), which are computed numerically, against mpmath's derivatives.
- Every gradient rule by central finite differences of the forward function, first and
  second order (all mixed partials), over grids reaching far into both tails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from scipy import special

import gaussfit.engine as tf
from gaussfit.engine.ops import incomplete_kernels

REFERENCES = json.loads((Path(__file__).parent / "data" / "special_references.json").read_text())
EPS = np.finfo(np.float64).eps


def _run(build: Callable[..., tf.Tensor], *arrays: np.ndarray):
    """Value, gradients and all second derivatives of an elementwise expression.

    The inputs share one shape and each output element depends only on the same element of
    the inputs, so the gradient of the sum is the elementwise partials and the gradient of
    a partial's sum is the elementwise second partials.
    """
    graph = tf.Graph()
    with graph.as_default():
        xs = [
            tf.placeholder(tf.float64, shape=np.shape(a), name=f"x{i}")
            for i, a in enumerate(arrays)
        ]
        y = build(*xs)
        grads = tf.gradients(y, xs)
        second = [tf.gradients(g, xs) for g in grads]
        second = [
            [h if h is not None else tf.zeros_like(x) for h, x in zip(row, xs, strict=True)]
            for row in second
        ]
    with tf.Session(graph=graph) as session:
        return session.run((y, grads, second), dict(zip(xs, arrays, strict=True)))


def _assert_close(actual, expected, rtol, atol, what):
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    bad = ~(np.abs(actual - expected) <= rtol * np.abs(expected) + atol)
    assert not np.any(bad), (
        f"{what}: {np.count_nonzero(bad)} of {bad.size} differ; first at {np.argmax(bad)}: "
        f"{actual.ravel()[np.argmax(bad)]!r} != {expected.ravel()[np.argmax(bad)]!r}"
    )


# -- values against scipy -------------------------------------------------------------------
GAMMA_A, GAMMA_X = (
    np.ravel(v)
    for v in np.meshgrid(
        [1e-3, 0.05, 0.5, 1.0, 2.5, 10.0, 80.0, 1e3, 1e5],
        [1e-8, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0, 30.0, 300.0],
        indexing="ij",
    )
)


def _scaled_gamma_x():
    """x relative to a (the tails sit at multiples of a), plus x on the absolute grid."""
    return GAMMA_A, GAMMA_X * np.maximum(GAMMA_A, 1.0)


BETA_A, BETA_B, BETA_X = (
    np.ravel(v)
    for v in np.meshgrid(
        [0.05, 0.5, 1.0, 3.0, 40.0, 2000.0],
        [0.3, 1.0, 7.0, 150.0],
        [1e-9, 1e-4, 0.02, 0.3, 0.5, 0.8, 0.999, 1.0 - 1e-7],
        indexing="ij",
    )
)


def _evaluate(build, *arrays):
    with tf.Graph().as_default() as graph:
        xs = [tf.constant(np.asarray(a, dtype=np.float64)) for a in arrays]
        y = build(*xs)
    with tf.Session(graph=graph) as session:
        return session.run(y)


@pytest.mark.parametrize(
    ("build", "reference"),
    [
        (tf.igamma, special.gammainc),
        (tf.igammac, special.gammaincc),
    ],
    ids=["igamma", "igammac"],
)
def test_incomplete_gamma_values_match_scipy(build, reference):
    a, x = _scaled_gamma_x()
    _assert_close(_evaluate(build, a, x), reference(a, x), 1e-12, 0.0, build.__name__)


@pytest.mark.parametrize(
    ("build", "reference"),
    [(tf.log_igamma, special.gammainc), (tf.log_igammac, special.gammaincc)],
    ids=["log_igamma", "log_igammac"],
)
def test_log_incomplete_gamma_matches_the_log_of_scipy_where_it_is_representable(build, reference):
    a, x = _scaled_gamma_x()
    value = reference(a, x)
    usable = (value > 1e-290) & (value < 0.5)  # above 0.5 log(value) itself loses digits
    got = _evaluate(build, a, x)
    _assert_close(got[usable], np.log(value[usable]), 1e-12, 0.0, build.__name__)
    assert np.all(np.isfinite(got[value < 1e-290])), "the log must survive the underflow"
    complement = reference(a, x)  # near 1: log1p of the other side
    near_one = (complement >= 0.5) & (complement < 1.0)
    other = special.gammaincc(a, x) if reference is special.gammainc else special.gammainc(a, x)
    _assert_close(got[near_one], np.log1p(-other[near_one]), 1e-12, 0.0, "near one")


def test_betainc_values_match_scipy():
    got = _evaluate(tf.betainc, BETA_A, BETA_B, BETA_X)
    _assert_close(got, special.betainc(BETA_A, BETA_B, BETA_X), 1e-12, 0.0, "betainc")


def test_log_betainc_matches_the_log_of_scipy_where_it_is_representable():
    got = _evaluate(tf.log_betainc, BETA_A, BETA_B, BETA_X)
    value = special.betainc(BETA_A, BETA_B, BETA_X)
    usable = (value > 1e-290) & (value < 0.5)
    _assert_close(got[usable], np.log(value[usable]), 1e-12, 0.0, "log_betainc")
    near_one = value >= 0.5
    complement = special.betainc(BETA_B, BETA_A, 1.0 - BETA_X)
    _assert_close(got[near_one], np.log1p(-complement[near_one]), 1e-12, 0.0, "near one")
    assert np.all(np.isfinite(got)) and np.all(got <= 0.0)


NORMAL_X = np.concatenate([[-1e4, -300.0, -38.0], np.linspace(-30.0, 30.0, 61), [38.0, 300.0]])


@pytest.mark.parametrize(
    ("build", "reference"),
    [
        (tf.ndtr, special.ndtr),
        (tf.log_ndtr, special.log_ndtr),
        (tf.erfc, special.erfc),
        (tf.erf, special.erf),
        (tf.erfcx, special.erfcx),
    ],
    ids=["ndtr", "log_ndtr", "erfc", "erf", "erfcx"],
)
def test_normal_functions_match_scipy(build, reference):
    x = NORMAL_X[NORMAL_X > -26.0] if build is tf.erfcx else NORMAL_X  # erfcx(-27) overflows
    _assert_close(_evaluate(build, x), reference(x), 1e-12, 0.0, str(build))


# -- values and shape derivatives against mpmath ------------------------------------------
def _close_to_reference(got: float, expected: float, scale: float, what: str) -> None:
    """Relative 3e-12 (large shapes lose a few digits to the cancellation in the log
    prefactor), or an absolute error that small against the row's scale."""
    assert abs(got - expected) <= 3e-12 * abs(expected) + 1e-13 * scale, (what, got, expected)


@pytest.mark.parametrize("row", REFERENCES["gamma"], ids=lambda r: f"a={r['a']:g},x={r['x']:g}")
def test_incomplete_gamma_and_its_shape_derivatives_match_mpmath(row):
    a, x = np.float64(row["a"]), np.float64(row["x"])
    builds = {
        "p": [tf.igamma, *(lambda a, x, k=k: tf.igamma_grad_a(a, x, k) for k in (1, 2))],
        "q": [tf.igammac, *(lambda a, x, k=k: -tf.igamma_grad_a(a, x, k) for k in (1, 2))],
        "log_p": [
            tf.log_igamma,
            *(lambda a, x, k=k: tf.log_igamma_grad_a(a, x, k) for k in (1, 2)),
        ],
        "log_q": [
            tf.log_igammac,
            *(lambda a, x, k=k: tf.log_igamma_grad_a(a, x, k, upper=True) for k in (1, 2)),
        ],
    }
    for key, functions in builds.items():
        expected = row[key]
        scale = max(abs(v) for v in expected)
        for order, build in enumerate(functions):
            got = float(_evaluate(build, a, x))
            _close_to_reference(got, expected[order], scale, f"{key} order {order}")


@pytest.mark.parametrize(
    "row", REFERENCES["beta"], ids=lambda r: f"a={r['a']:g},b={r['b']:g},x={r['x']:g}"
)
def test_betainc_and_its_shape_derivatives_match_mpmath(row):
    a, b, x = (np.float64(row[k]) for k in ("a", "b", "x"))
    for key, value_op, partial_op in (
        ("i", tf.betainc, tf.betainc_grad),
        ("log_i", tf.log_betainc, tf.log_betainc_grad),
    ):
        expected = row[key]
        scale = max(abs(v) for v in expected.values())
        for index, reference in expected.items():
            da, db = int(index[0]), int(index[1])
            if da + db == 0:
                got = _evaluate(value_op, a, b, x)
            else:
                got = _evaluate(
                    lambda a, b, x, op=partial_op, da=da, db=db: op(a, b, x, da, db), a, b, x
                )
            _close_to_reference(float(got), reference, scale, f"{key} d{index}")


@pytest.mark.parametrize("row", REFERENCES["normal"], ids=lambda r: f"x={r['x']:g}")
def test_ndtr_and_log_ndtr_match_mpmath_in_both_tails(row):
    x = np.float64(row["x"])
    # (at x = 38 log Φ is -2.9e-316, below the normal range of doubles: scipy gives -0.0)
    _close_to_reference(float(_evaluate(tf.log_ndtr, x)), row["log_ndtr"], 1e-290, "log_ndtr")
    _close_to_reference(float(_evaluate(tf.ndtr, x)), row["ndtr"], 1e-290, "ndtr")


# -- every rule by finite differences, first and second order ---------------------------
@dataclass
class Case:
    """An elementwise engine expression, its numpy forward and the grid it is checked on.

    ``positive[i]`` says input i is a positive parameter (steps are relative to its size);
    ``unit[i]`` that it lies in (0, 1) (steps shrink near both ends).
    """

    name: str
    build: Callable[..., tf.Tensor]
    forward: Callable[..., np.ndarray]
    grid: tuple[np.ndarray, ...]
    unit: tuple[bool, ...] = ()

    def __str__(self) -> str:
        return self.name


def _steps(case: Case, relative: float, value: np.ndarray, grads, second) -> list[np.ndarray]:
    """Steps relative to each input's size, and short enough that f and f' change by a small
    fraction across them (far in a tail f changes by a factor e over 1 / |d log f / dx|)."""
    steps = []
    for i, values in enumerate(case.grid):
        if case.unit and case.unit[i]:
            size = np.minimum(values, 1.0 - values)
        else:
            size = np.maximum(np.abs(values), 1.0 if values.min() < 0 else 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            for top, bottom in ((value, grads[i]), (grads[i], second[i][i])):
                scale = np.abs(top) / np.abs(bottom)
                size = np.where(scale > 0, np.minimum(size, scale), size)
        steps.append(relative * size)
    return steps


def _richardson(difference: Callable[[float], np.ndarray]) -> np.ndarray:
    """A central difference with its h² error term removed: (4 D(h/2) - D(h)) / 3."""
    return (4.0 * difference(0.5) - difference(1.0)) / 3.0


NOISE = 1e-13
"""Relative rounding error of the forward functions (the shape-derivative kernels lose a
few digits more than scipy's values); a difference quotient divides it by its step."""


def _gamma_tail_grid(tail: str) -> tuple[np.ndarray, np.ndarray]:
    a = np.array([0.3, 1.0, 2.5, 10.0, 80.0])[:, None]
    if tail == "left":
        multiples = np.array([1e-4, 0.01, 0.2, 0.9, 1.1, 3.0])
    else:
        multiples = np.array([0.2, 0.9, 1.1, 3.0, 10.0, 40.0])
    x = a * multiples + (30.0 if tail == "right" else 0.0) * (multiples > 5)
    return np.ravel(np.broadcast_to(a, x.shape)), np.ravel(x)


BETA_GRID = tuple(
    np.ravel(v)
    for v in np.meshgrid(
        [0.4, 2.0, 30.0], [0.6, 5.0, 200.0], [1e-6, 0.05, 0.3, 0.7, 0.95, 1 - 1e-5]
    )
)
# The shape-derivative ops cost a continued fraction per evaluation: a smaller grid.
BETA_GRID_SMALL = tuple(
    np.ravel(v) for v in np.meshgrid([0.4, 2.0], [0.6, 5.0], [1e-6, 0.3, 0.95, 1 - 1e-5])
)
# The differences' steps follow |T / T'|, which misses the exp(-a²h²/2) in T's derivatives
# (a scale of 1/|a| in h): large |a| is checked against mpmath's derivatives instead.
OWENS_T_GRID = tuple(
    np.ravel(v)
    for v in np.meshgrid([-6.0, -1.5, 0.0, 0.3, 1.0, 2.5, 8.0], [-2.0, -0.2, 0.05, 0.7, 1.0, 2.5])
)
LOG_NDTR_GRID = (np.concatenate([[-1e3, -200.0], np.linspace(-38.0, 38.0, 39)]),)


def _gamma_case(name, build, forward, tail):
    return Case(name, build, forward, _gamma_tail_grid(tail))


FD_CASES = [
    Case("ndtr", tf.ndtr, special.ndtr, (np.linspace(-9.0, 9.0, 37),)),
    Case("log_ndtr", tf.log_ndtr, special.log_ndtr, LOG_NDTR_GRID),
    Case("erfc", tf.erfc, special.erfc, (np.linspace(-5.0, 26.0, 32),)),
    Case("owens_t", tf.owens_t, special.owens_t, OWENS_T_GRID),
    # erfcx's second derivative 2 erfcx + 2x erfcx' cancels to about 1/x³ of its terms: it
    # keeps 7 digits up to x = 100 (log_ndtr's derivatives need only its first derivative).
    Case(
        "erfcx", tf.erfcx, special.erfcx, (np.concatenate([np.linspace(-5.0, 30.0, 36), [100.0]]),)
    ),
    _gamma_case("igamma", tf.igamma, special.gammainc, "left"),
    _gamma_case("igammac", tf.igammac, special.gammaincc, "right"),
    _gamma_case("log_igamma", tf.log_igamma, incomplete_kernels.log_igamma, "left"),
    _gamma_case(
        "log_igammac",
        tf.log_igammac,
        lambda a, x: incomplete_kernels.log_igamma(a, x, upper=True),
        "right",
    ),
    _gamma_case(
        "igamma_grad_a",
        tf.igamma_grad_a,
        lambda a, x: incomplete_kernels.igamma_grad_a(a, x, 1),
        "left",
    ),
    _gamma_case(
        "log_igamma_grad_a(upper)",
        lambda a, x: tf.log_igamma_grad_a(a, x, 1, upper=True),
        lambda a, x: incomplete_kernels.log_igamma_grad_a(a, x, 1, upper=True),
        "right",
    ),
    Case("betainc", tf.betainc, special.betainc, BETA_GRID, (False, False, True)),
    Case(
        "log_betainc",
        tf.log_betainc,
        incomplete_kernels.log_betainc,
        BETA_GRID,
        (False, False, True),
    ),
    Case(
        "betainc_grad(1,0)",
        lambda a, b, x: tf.betainc_grad(a, b, x, 1, 0),
        lambda a, b, x: incomplete_kernels.betainc_grad(a, b, x, 1, 0),
        BETA_GRID_SMALL,
        (False, False, True),
    ),
    Case(
        "log_betainc_grad(0,1)",
        lambda a, b, x: tf.log_betainc_grad(a, b, x, 0, 1),
        lambda a, b, x: incomplete_kernels.log_betainc_grad(a, b, x, 0, 1),
        BETA_GRID_SMALL,
        (False, False, True),
    ),
]


@pytest.mark.parametrize("case", FD_CASES, ids=str)
def test_first_and_second_derivatives_match_finite_differences(case):
    arrays = [np.asarray(v, dtype=np.float64) for v in case.grid]
    value, grads, second = _run(case.build, *arrays)
    f0 = case.forward(*arrays)
    _assert_close(value, f0, 1e-12, 1e-300, f"{case}: value")
    magnitude = NOISE * np.abs(f0) + 1e-300

    def at(shift: list[np.ndarray]) -> np.ndarray:
        return case.forward(*[a + s for a, s in zip(arrays, shift, strict=True)])

    def unit(i: int, h: np.ndarray) -> list[np.ndarray]:
        return [h if k == i else 0.0 for k in range(len(arrays))]

    h1 = _steps(case, 1e-3, f0, grads, second)
    for i, h in enumerate(h1):

        def first(c, i=i, h=h):
            return (at(unit(i, c * h)) - at(unit(i, -c * h))) / (2 * c * h)

        _assert_close(grads[i], _richardson(first), 1e-7, 4 * magnitude / h, f"{case}: d/dx{i}")

    h2 = _steps(case, 1e-2, f0, grads, second)
    for i in range(len(arrays)):
        for j in range(len(arrays)):

            def mixed(c, i=i, j=j):
                def shifted(si, sj):
                    return at(
                        [
                            a + b
                            for a, b in zip(
                                unit(i, si * c * h2[i]), unit(j, sj * c * h2[j]), strict=True
                            )
                        ]
                    )

                quotient = shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)
                return quotient / (4 * c * c * h2[i] * h2[j])

            atol = 16 * magnitude / (h2[i] * h2[j])
            _assert_close(second[i][j], _richardson(mixed), 1e-5, atol, f"{case}: d2/dx{i}dx{j}")


def test_third_derivative_in_the_shape_exists_and_matches_differences_of_the_second():
    a, x = np.array([0.7, 3.0, 25.0]), np.array([0.4, 6.0, 21.0])
    with tf.Graph().as_default() as graph:
        ta, tx = tf.placeholder(tf.float64, shape=(3,)), tf.placeholder(tf.float64, shape=(3,))
        (d1,) = tf.gradients(tf.log_igammac(ta, tx), ta)
        (d2,) = tf.gradients(d1, ta)
        (d3,) = tf.gradients(d2, ta)
        (d2x,) = tf.gradients(d2, tx)
    h = 1e-5 * a
    with tf.Session(graph=graph) as session:
        third, mixed = session.run([d3, d2x], {ta: a, tx: x})
        up, down = (session.run(d2, {ta: a + s * h, tx: x}) for s in (1, -1))
        right, left = (session.run(d2, {ta: a, tx: x + s * 1e-5 * x}) for s in (1, -1))
    _assert_close(third, (up - down) / (2 * h), 1e-6, 1e-12, "d3/da3")
    _assert_close(mixed, (right - left) / (2e-5 * x), 1e-6, 1e-12, "d3/da2dx")


def test_gradients_of_broadcast_shapes_are_reduced_to_each_input():
    x = np.array([[0.5, 2.0, 7.0], [1.0, 3.0, 40.0]])
    with tf.Graph().as_default() as graph:
        a = tf.placeholder(tf.float64, shape=(), name="a")
        b = tf.placeholder(tf.float64, shape=(2, 1), name="b")
        tx = tf.constant(x)
        ga, gb = tf.gradients(tf.log_igammac(a, tx) + tf.log_betainc(a, b, tx / 50.0), [a, b])
    with tf.Session(graph=graph) as session:
        got_a, got_b = session.run([ga, gb], {a: 2.0, b: [[3.0], [0.5]]})
    assert np.shape(got_a) == () and np.shape(got_b) == (2, 1)
    expected_a = np.sum(
        incomplete_kernels.log_igamma_grad_a(2.0, x, 1, upper=True)
        + incomplete_kernels.log_betainc_grad(2.0, np.array([[3.0], [0.5]]), x / 50.0, 1, 0)
    )
    expected_b = np.sum(
        incomplete_kernels.log_betainc_grad(2.0, np.array([[3.0], [0.5]]), x / 50.0, 0, 1),
        axis=1,
        keepdims=True,
    )
    _assert_close(got_a, expected_a, 1e-13, 0.0, "a")
    _assert_close(got_b, expected_b, 1e-13, 0.0, "b")


def test_float32_inputs_give_float32_values_and_gradients():
    with tf.Graph().as_default() as graph:
        a = tf.constant(np.float32(2.5))
        x = tf.constant(np.array([0.5, 4.0], dtype=np.float32))
        y = tf.log_igammac(a, x)
        grads = tf.gradients(y, [a, x])
    assert y.dtype == tf.float32 and all(g.dtype == tf.float32 for g in grads)
    with tf.Session(graph=graph) as session:
        value, (ga, _) = session.run([y, grads])
    assert value.dtype == np.float32
    np.testing.assert_allclose(value, np.log(special.gammaincc(2.5, [0.5, 4.0])), rtol=1e-6)
    np.testing.assert_allclose(
        ga,
        np.sum(incomplete_kernels.log_igamma_grad_a(2.5, np.array([0.5, 4.0]), 1, upper=True)),
        rtol=1e-5,
    )


def test_mixed_dtypes_are_refused_with_both_names():
    a = tf.constant(np.float32(1.0), name="a32")
    x = tf.constant(1.0, dtype=tf.float64, name="x64")
    with pytest.raises(TypeError, match=r"a32.*x64"):
        tf.igamma(a, x)


def test_edges_of_the_domain():
    """At x = 0 and x = inf the functions are constant in a: their a-derivatives vanish."""
    a = np.array([0.5, 2.0])
    zero, inf = np.zeros(2), np.full(2, np.inf)
    np.testing.assert_array_equal(_evaluate(lambda a, x: tf.igamma_grad_a(a, x, 2), a, zero), 0)
    np.testing.assert_array_equal(_evaluate(tf.igamma_grad_a, a, inf), 0)
    np.testing.assert_array_equal(
        _evaluate(lambda a, x: tf.log_igamma_grad_a(a, x, upper=True), a, zero), 0
    )
    np.testing.assert_array_equal(_evaluate(tf.log_igammac, a, zero), 0)
    assert np.all(_evaluate(tf.log_igammac, a, inf) == -np.inf)


@pytest.mark.parametrize(
    ("h", "a"), [(0.0, 1.0), (0.5, 0.3), (-2.0, 3.0), (1.0, -7.0), (6.0, 0.9), (0.1, 300.0)]
)
def test_owens_t_matches_its_defining_integral(h, a):
    # T(h, a) = 1/(2π) ∫₀ᵃ exp(-h²(1+x²)/2)/(1+x²) dx, at 30 digits (mpmath's quadrature).
    import mpmath as mp

    with mp.workdps(30):
        expected = mp.quad(
            lambda x: mp.exp(-h * h * (1 + x * x) / 2) / (1 + x * x), [0, min(a, 1), a]
        ) / (2 * mp.pi)
    _assert_close(_evaluate_pair(tf.owens_t, h, a), float(expected), 1e-13, 1e-300, "owens_t")


@pytest.mark.parametrize(("h", "a"), [(0.3, -12.0), (0.3, 0.7), (-1.0, 40.0), (2.0, 1.5)])
def test_owens_t_derivatives_match_mpmath(h, a):
    import mpmath as mp

    def exact(hh, aa):
        x = mp.mpf(aa)
        body = mp.quad(lambda t: mp.exp(-hh * hh * (1 + t * t) / 2) / (1 + t * t), [0, x / 8, x])
        return body / (2 * mp.pi)

    with mp.workdps(30):
        expected = [
            mp.diff(exact, (h, a), order) for order in ((1, 0), (0, 1), (2, 0), (1, 1), (0, 2))
        ]
    _, grads, second = _run(tf.owens_t, np.array([h]), np.array([a]))
    got = [grads[0], grads[1], second[0][0], second[0][1], second[1][1]]
    for name, value, reference in zip(["h", "a", "hh", "ha", "aa"], got, expected, strict=True):
        _assert_close(value, float(reference), 1e-10, 1e-300, f"owens_t d/d{name}")


def _evaluate_pair(build, h: float, a: float) -> float:
    with tf.Graph().as_default() as graph:
        y = build(tf.constant(h, dtype=tf.float64), tf.constant(a, dtype=tf.float64))
    with tf.Session(graph=graph) as session:
        return float(session.run(y))


def test_owens_t_gradients_reduce_over_broadcast_inputs():
    h = np.array([[0.2], [1.5]])
    a = np.array([0.5, 2.0, -3.0])
    with tf.Graph().as_default() as graph:
        th, ta = tf.constant(h), tf.constant(a)
        gh, ga = tf.gradients(tf.reduce_sum(tf.owens_t(th, ta)), [th, ta])
    with tf.Session(graph=graph) as session:
        got_h, got_a = session.run([gh, ga])
    step = 1e-6
    fd_h = np.sum(special.owens_t(h + step, a) - special.owens_t(h - step, a), axis=1) / (2 * step)
    fd_a = np.sum(special.owens_t(h, a + step) - special.owens_t(h, a - step), axis=0) / (2 * step)
    _assert_close(got_h.ravel(), fd_h, 1e-7, 1e-12, "dT/dh")
    _assert_close(got_a, fd_a, 1e-7, 1e-12, "dT/da")
