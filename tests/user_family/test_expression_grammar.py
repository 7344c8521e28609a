"""The --logpdf grammar: what it reads, what it refuses, and the column it blames.

Values are checked against numpy evaluating the same formula by hand; errors against the
column (1-based) a reader would point at.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

import gaussfit.engine as tf
from gaussfit.distributions import expression
from gaussfit.distributions.expression import ExpressionError, build, parse

X = np.array([0.3, 1.0, 2.5])
PARAMS = {"a": 1.7, "b": 0.4}


def evaluate(text: str) -> np.ndarray:
    tree = parse(text, ["a", "b"])
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, shape=[None])
        values = {"x": x, **{k: tf.constant(v, dtype=tf.float64) for k, v in PARAMS.items()}}
        out = build(tree, values) + tf.zeros_like(x)
        with tf.Session(graph=graph) as session:
            return np.asarray(session.run(out, {x: X}))


a, b, x = PARAMS["a"], PARAMS["b"], X
VALID = [
    ("x + a*b", x + a * b),
    ("-x**2", -(x**2)),  # unary minus binds looser than **
    ("2**-1 * x", 0.5 * x),  # an exponent may carry its sign
    ("2**3**2 + 0*x", 2.0**9 + 0 * x),  # ** is right-associative
    ("a - b - x", a - b - x),  # - is left-associative
    ("x / a / b", x / a / b),
    ("(x - a) * (x + b)", (x - a) * (x + b)),
    ("log(k_ok)".replace("k_ok", "x"), np.log(x)),
    (
        "exp(-x) + sqrt(x) + log1p(x) + expm1(x)",
        np.exp(-x) + np.sqrt(x) + np.log1p(x) + np.expm1(x),
    ),
    ("lgamma(x + a) + digamma(x)", special.gammaln(x + a) + special.digamma(x)),
    ("lbeta(a, x)", special.betaln(a, x)),
    (
        "abs(x - 1) + sin(x) + cos(x) + tanh(x) + atan(x)",
        np.abs(x - 1) + np.sin(x) + np.cos(x) + np.tanh(x) + np.arctan(x),
    ),
    ("sigmoid(x) + softplus(x)", special.expit(x) + np.log1p(np.exp(x))),
    (
        "erf(x) + erfc(x) + ndtr(x) + log_ndtr(-x)",
        special.erf(x) + special.erfc(x) + special.ndtr(x) + special.log_ndtr(-x),
    ),
    ("-0.5*log(2*pi) + e*x", -0.5 * math.log(2 * math.pi) + math.e * x),
    ("1.5e-1*x + .5 + 2.", 0.15 * x + 0.5 + 2.0),
    ("x**0.5 + x**2 + x**3", np.sqrt(x) + x * x + x**3),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_valid_expressions_equal_numpy(text: str, expected: np.ndarray) -> None:
    np.testing.assert_allclose(evaluate(text), expected, rtol=1e-13, atol=1e-15)


INVALID = [
    # (expression, column, words the message must contain)
    ("", None, "empty"),
    ("log(k) + x", 5, "unknown name 'k'"),
    ("x + lamda", 5, "unknown name 'lamda'"),
    ("__import__('os')", 1, "unknown function '__import__'"),
    ("x.real", 2, "attribute access"),
    ("a^2 + x", 2, "a**b"),
    ("x + ", 5, "ends where a value is expected"),
    ("(x + a", 7, "close the '(' at column 1"),
    ("log(x", 6, "close the '(' at column 4"),
    ("x a", 3, "expected an operator, found 'a'"),
    ("x + )", 5, "expected a value, found ')'"),
    ("log + x", 1, "log is a function"),
    ("log(x, a)", 1, "log takes 1 argument, given 2"),
    ("lbeta(x)", 1, "lbeta takes 2 arguments, given 1"),
    ("a(x)", 1, "'a' is a parameter, not a function"),
    ("x + 1e999", 5, "not a finite number"),
    ("x @ a", 3, "unexpected character '@'"),
    ("x + [a]", 5, "group with ( and )"),
    ("x, a", 2, "expected an operator, found ','"),
    ("eval(x)", 1, "unknown function 'eval'"),
    ("lgama(x)", 1, "did you mean lgamma?"),
    ("x + b2", 5, "did you mean b?"),
]


@pytest.mark.parametrize(
    ("text", "column", "words"), INVALID, ids=[t or "empty" for t, *_ in INVALID]
)
def test_invalid_expressions_name_the_column(text: str, column: int | None, words: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, ["a", "b"])
    assert caught.value.column == column
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)
    where = f" at column {column}" if column is not None else ""
    assert str(caught.value).startswith(f"--logpdf{where}: ")


def test_a_parameter_named_like_a_constant_hides_the_constant() -> None:
    tree = parse("e * x", ["e"])
    assert expression.names_used(tree) == {"e", "x"}
