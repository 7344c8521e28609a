"""Optimisers against hand-written numpy versions of TF1's update formulas.

TF1 turns a Python-float hyper-parameter into a float32 tensor and casts it to the variable's
dtype, so the references here use ``f32(x)``, the float64 value of float32-rounded ``x``.
"""

from __future__ import annotations

import numpy as np
import pytest

import gaussfit.engine as tf

A = np.array([1.0, 2.0, 0.5])
C = np.array([0.3, -1.0, 2.0])
W0 = np.array([1.0, 1.0, -1.0])
B0 = 0.25
STEPS = 6


def f32(x: float) -> float:
    return float(np.float32(x))


def _loss_and_grads(w, b):
    """A small coupled quadratic and its gradient, by hand."""
    loss = np.sum(A * (w - C) ** 2) + 3.0 * (b - 1.0) ** 2 + b * np.sum(w)
    return loss, 2.0 * A * (w - C) + b, 6.0 * (b - 1.0) + np.sum(w)


def _build():
    w = tf.Variable(W0, name="w")
    b = tf.Variable(B0, dtype=tf.float64, name="b")
    loss = tf.reduce_sum(A * (w - C) ** 2.0) + 3.0 * (b - 1.0) ** 2.0 + b * tf.reduce_sum(w)
    return w, b, loss


def _run_engine(optimizer):
    w, b, loss = _build()
    step = optimizer.minimize(loss)
    history = []
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            _, loss_value = session.run([step, loss])
            history.append((loss_value, session.run(w), session.run(b)))
    return history


def _run_reference(update):
    w, b = W0.copy(), B0
    state: dict = {}
    history = []
    for t in range(1, STEPS + 1):
        loss, gw, gb = _loss_and_grads(w, b)
        w = update(state, "w", w, gw, t)
        b = update(state, "b", b, gb, t)
        history.append((loss, w, b))
    return history


def _assert_same_history(engine, reference):
    for (loss, w, b), (ref_loss, ref_w, ref_b) in zip(engine, reference, strict=True):
        assert loss == pytest.approx(ref_loss, rel=1e-12)
        np.testing.assert_allclose(w, ref_w, rtol=1e-12, atol=1e-14)
        assert b == pytest.approx(ref_b, rel=1e-12)


def test_gradient_descent_matches_tf_update():
    def update(state, key, var, grad, t):
        return var - f32(0.05) * grad

    _assert_same_history(
        _run_engine(tf.train.GradientDescentOptimizer(0.05)), _run_reference(update)
    )


@pytest.mark.parametrize("nesterov", [False, True], ids=["plain", "nesterov"])
def test_momentum_matches_tf_update(nesterov):
    lr, momentum = f32(0.02), f32(0.9)

    def update(state, key, var, grad, t):
        accum = momentum * state.get(key, 0.0) + grad
        state[key] = accum
        if nesterov:
            return var - (grad * lr + accum * momentum * lr)
        return var - lr * accum

    optimizer = tf.train.MomentumOptimizer(0.02, 0.9, use_nesterov=nesterov)
    _assert_same_history(_run_engine(optimizer), _run_reference(update))


def test_adam_matches_tf_update():
    lr, beta1, beta2, eps = f32(0.1), f32(0.9), f32(0.999), f32(1e-8)

    def update(state, key, var, grad, t):
        m, v = state.get(key, (0.0, 0.0))
        m = m + (grad - m) * (1 - beta1)
        v = v + (grad**2 - v) * (1 - beta2)
        state[key] = (m, v)
        # TF1 keeps beta1**t and beta2**t in float32 variables, multiplied in float32.
        power1 = float(np.prod(np.full(t, np.float32(0.9)), dtype=np.float32))
        power2 = float(np.prod(np.full(t, np.float32(0.999)), dtype=np.float32))
        lr_t = lr * np.sqrt(1 - power2) / (1 - power1)
        return var - lr_t * m / (np.sqrt(v) + eps)

    optimizer = tf.train.AdamOptimizer(0.1, 0.9, 0.999, 1e-8)
    _assert_same_history(_run_engine(optimizer), _run_reference(update))


def test_optimiser_state_uses_tf_slot_names():
    w, _, loss = _build()
    tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, var_list=[w])
    tf.train.AdamOptimizer().minimize(loss, var_list=[w])
    names = {v.op.name for v in tf.global_variables()}
    assert {"w/Momentum", "w/Adam", "w/Adam_1", "beta1_power", "beta2_power"} <= names
    assert {v.op.name for v in tf.trainable_variables()} == {"w", "b"}


def test_minimize_without_var_list_updates_only_trainable_variables():
    w = tf.Variable(np.array([1.0, 2.0]), name="w")
    frozen = tf.Variable(3.0, dtype=tf.float64, name="frozen", trainable=False)
    loss = tf.reduce_sum(w * frozen) + frozen**2.0
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(step)
        np.testing.assert_allclose(session.run(w), [1.0 - 0.3, 2.0 - 0.3])
        assert session.run(frozen) == 3.0


def test_minimize_with_var_list_updates_only_those_variables():
    w = tf.Variable(1.0, dtype=tf.float64, name="w")
    b = tf.Variable(1.0, dtype=tf.float64, name="b")
    step = tf.train.GradientDescentOptimizer(0.5).minimize(w * b * 2.0, var_list=[b])
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(step)
        assert session.run([w, b]) == [1.0, 0.0]


def test_no_variables_to_optimize():
    x = tf.placeholder(tf.float64, name="x")
    with pytest.raises(ValueError, match=r"^No variables to optimize\.$"):
        tf.train.GradientDescentOptimizer(0.1).minimize(x * x)


def test_no_gradient_for_any_variable_names_the_variables_and_the_loss():
    w = tf.Variable(1.0, dtype=tf.float64, name="w")
    x = tf.placeholder(tf.float64, name="x")
    loss = tf.identity(x * x, name="loss")
    with pytest.raises(ValueError, match="No gradients provided") as info:
        tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[w])
    assert "w:0" in str(info.value)
    assert "loss:0" in str(info.value)


@pytest.mark.parametrize("dtype", [tf.float64, tf.float32], ids=str)
def test_the_learning_rate_takes_the_variable_dtype(dtype):
    w = tf.Variable(np.array([1.0, 2.0], dtype=dtype.as_numpy_dtype), name="w")
    step = tf.train.GradientDescentOptimizer(np.float32(0.5)).minimize(tf.reduce_sum(w * w))
    graph = tf.get_default_graph()
    apply = graph.get_operation_by_name("GradientDescent/update_w/ApplyGradientDescent")
    assert apply.inputs[1].dtype == dtype
    assert graph.get_tensor_by_name("GradientDescent/update_w/learning_rate:0").dtype == tf.float32
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        step.run()
        value = session.run(w)
    assert value.dtype == dtype.as_numpy_dtype
    np.testing.assert_array_equal(value, [0.0, 0.0])


def test_apply_gradients_returns_one_op_whose_run_gives_none():
    w = tf.Variable(np.array([1.0, 2.0]), name="w")
    b = tf.Variable(0.0, dtype=tf.float64, name="b")
    x = tf.placeholder(tf.float64, name="x")
    loss = tf.reduce_sum(w * x)
    optimizer = tf.train.GradientDescentOptimizer(1.0)
    pairs = optimizer.compute_gradients(loss, [w, b])
    assert [v for _, v in pairs] == [w, b]
    assert pairs[1][0] is None
    op = optimizer.apply_gradients(pairs)
    assert isinstance(op, tf.Operation)
    assert op.name == "GradientDescent"
    assert op.type == "NoOp"
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        assert session.run(op, {x: 2.0}) is None
        np.testing.assert_array_equal(session.run(w), [-1.0, 0.0])
        assert session.run(b) == 0.0
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizer.apply_gradients([(None, b)])


def test_a_step_fed_with_data_minimises_the_lab_objective():
    x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    log_p = tf.reduce_sum(
        -0.5 * tf.log(2.0 * np.pi * sigma**2.0) - (x - mu) ** 2.0 / (2.0 * sigma**2.0)
    )
    step = tf.train.AdamOptimizer(0.05).minimize(-log_p)
    data = np.random.default_rng(7).normal(2.0, 0.5, size=200)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(1500):
            session.run(step, {x: data})
        mu_value, sigma_value = session.run([mu, sigma])
    assert mu_value == pytest.approx(np.mean(data), abs=1e-6)
    assert abs(sigma_value) == pytest.approx(np.std(data), abs=1e-6)
