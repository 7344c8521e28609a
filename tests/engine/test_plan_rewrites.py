"""What a compiled plan becomes: the rewrites applied when a plan is lowered for known shapes.

Each test builds a graph, runs it with plans compiled at once, and reads the generated source
(``Plan.programs[...].source``) as well as the values, which must match the interpreter.
"""

from __future__ import annotations

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import plan as plan_module


@pytest.fixture
def compile_now(monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)


def sources(session: tf.Session) -> list[str]:
    return [p.source for plan in session._plans.values() for p in plan.programs.values()]


def op_lines(source: str) -> list[str]:
    """The generated lines that compute something (not the header, unpacking or ``del``)."""
    return [
        line
        for line in source.splitlines()[1:]
        if " = " in line and "buffers" not in line and "[()]" not in line
    ]


def lab_step(n: int = 1000):
    x = np.random.default_rng(0).normal(2.5, 1.5, n)
    t_x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    s2 = sigma**2.0
    log_p = tf.reduce_sum(-0.5 * tf.log(2.0 * np.pi * s2) - (t_x - mu) ** 2.0 / (2.0 * s2))
    step = tf.train.GradientDescentOptimizer(1e-4).minimize(-log_p)
    return x, t_x, mu, sigma, log_p, step


def test_pow_by_two_becomes_a_square_and_pow_by_one_disappears(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    y = x**2.0 + x**1.0
    with tf.Session() as session:
        value = session.run(y, {x: np.array([1.5, -2.0, 3.0])})
        (source,) = sources(session)
    np.testing.assert_array_equal(value, [1.5**2 + 1.5, 4.0 - 2.0, 12.0])
    assert "power" not in source
    assert "square" in source
    assert len(op_lines(source)) == 2  # square, add


def test_ops_of_constants_are_computed_once_when_the_plan_is_built(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    scale = tf.constant(2.0, dtype=tf.float64) * 3.0 + tf.log(tf.constant(1.0, dtype=tf.float64))
    y = x * scale
    with tf.Session() as session:
        np.testing.assert_array_equal(session.run(y, {x: np.ones(3)}), [6.0] * 3)
        (source,) = sources(session)
    assert len(op_lines(source)) == 1  # only x * 6.0 is left
    assert "log" not in source


def test_equal_subexpressions_are_computed_once(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    mu = tf.constant(1.0, dtype=tf.float64)
    first = tf.exp(x - mu)
    second = tf.exp(x - mu)  # built again, by another path: same op, inputs and attributes
    with tf.Session() as session:
        a, b = session.run([first, second], {x: np.arange(4.0)})
        (source,) = sources(session)
    np.testing.assert_array_equal(a, b)
    assert source.count("subtract(") == 1
    assert source.count("exp(") == 1


def test_nodes_no_fetch_needs_are_dropped(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    total = tf.reduce_sum(tf.square(x - 1.0))
    with tf.Session() as session:
        assert session.run(total, {x: np.array([1.0, 2.0, 4.0])}) == 10.0
        (source,) = sources(session)
    # the squares are never stored: the sum of squares is one dot product of x - 1
    assert "square(" not in source
    assert "sum_of_squares(" in source


def test_the_lab_step_reads_the_data_like_the_hand_written_step(compile_now):
    """Forward and gradient together: one difference x - mu, its dot product, its sum."""
    x, t_x, _, _, log_p, step = lab_step()
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run([step, log_p], {t_x: x})
        (source,) = [s for s in sources(session) if "subtract(v0" in s]
    (difference,) = [line for line in op_lines(source) if "v0" in line]
    assert "subtract(v0, v1, out=b0)" in difference  # into a buffer kept between runs
    d = difference.split()[0]
    readers = sorted(line.split(" = ")[1].split("(")[0] for line in op_lines(source) if d in line)
    assert readers == ["subtract", "sum_all", "sum_of_squares"]
    for removed in ("broadcast", "sum_to_shape", "power", "ones_like", "np_shape"):
        assert removed not in source


def test_the_lab_step_compiled_matches_the_interpreter():
    results = {}
    for compile_after in (10**9, 0):
        plan_module.COMPILE_AFTER, saved = compile_after, plan_module.COMPILE_AFTER
        try:
            tf.reset_default_graph()
            x, t_x, mu, sigma, log_p, step = lab_step()
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                values = [session.run([step, log_p], {t_x: x})[1] for _ in range(5)]
                results[compile_after] = values + session.run([mu, sigma])
        finally:
            plan_module.COMPILE_AFTER = saved
    np.testing.assert_allclose(results[0], results[10**9], rtol=1e-12)


def test_a_sum_keeps_a_difference_it_needs_anyway(compile_now):
    """sum(x - mu) becomes sum(x) - n*mu only when that saves computing x - mu. Far from zero
    the rewrite loses digits to cancellation, so when the loss needs x - mu anyway (a training
    step fetches both), its sum is taken as it is."""
    data = 1e8 + np.random.default_rng(1).normal(0.0, 1.0, 5000)
    start = float(np.mean(data)) + 0.25
    x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(start, dtype=tf.float64, name="mu")
    loss = tf.reduce_sum((x - mu) ** 2.0)
    (grad,) = tf.gradients(loss, mu)
    exact = -2.0 * np.sum(data - start)
    with tf.Session() as session:
        session.run(mu.initializer)
        _, together = session.run([loss, grad], {x: data})
        alone = session.run(grad, {x: data})
    assert together == pytest.approx(exact, rel=1e-12)
    # Alone, the rewrite applies; its error is what a change of mu in its last bit would make.
    assert abs(alone - exact) <= 2.0 * data.size * np.spacing(start)


def test_broadcasting_gradients_reduce_to_the_right_shapes(compile_now):
    rows = tf.placeholder(tf.float64, shape=[None, 3], name="rows")
    weights = tf.Variable(np.array([1.0, 2.0, 3.0]), name="w")
    bias = tf.Variable(0.5, dtype=tf.float64, name="b")
    loss = tf.reduce_sum(tf.square(rows * weights + bias), axis=0)
    grads = tf.gradients(loss, [weights, bias])
    data = np.arange(12.0).reshape(4, 3)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        g_w, g_b = session.run(grads, {rows: data})
    pred = data * [1.0, 2.0, 3.0] + 0.5
    np.testing.assert_allclose(g_w, np.sum(2 * pred * data, axis=0), rtol=1e-13)
    assert g_b == pytest.approx(np.sum(2 * pred), rel=1e-13)
