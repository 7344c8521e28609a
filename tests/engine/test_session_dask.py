"""A Dask array fed to a placeholder: the plan runs on the array's own functions (numpy
dispatch), and every lazy fetch and write of a run is computed in one go."""

from __future__ import annotations

import numpy as np
import pytest

import gaussfit.engine as tf

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")


def lab_graph():
    t_x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    s2 = sigma**2.0
    log_p = tf.reduce_sum(-0.5 * tf.log(2 * np.pi * s2) - (t_x - mu) ** 2.0 / (2 * s2))
    return t_x, mu, sigma, log_p


def test_values_gradients_and_steps_equal_the_numpy_feed(monkeypatch):
    x = np.random.default_rng(0).normal(2.5, 1.5, 40_000)
    lazy = da.from_array(x, chunks=10_000)
    t_x, mu, sigma, log_p = lab_graph()
    grads = tf.gradients(log_p, [mu, sigma])
    step = tf.train.GradientDescentOptimizer(1e-6).minimize(-log_p)
    calls = []
    real_compute = dask.compute
    monkeypatch.setattr(dask, "compute", lambda *a, **k: calls.append(1) or real_compute(*a, **k))
    results = {}
    for name, feed in (("dask", lazy), ("numpy", x)):
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            first = session.run([log_p, grads], {t_x: feed})
            for _ in range(3):
                session.run([step, log_p], {t_x: feed})
            results[name] = (first, session.run([mu, sigma]))
    (value_d, grads_d), params_d = results["dask"]
    (value_n, grads_n), params_n = results["numpy"]
    assert value_d == pytest.approx(value_n, rel=1e-12)
    assert grads_d == pytest.approx(grads_n, rel=1e-12)
    assert params_d == pytest.approx(params_n, rel=1e-12)
    assert isinstance(value_d, np.floating)
    assert len(calls) == 4  # one compute per run with a Dask feed, fetches and writes together
