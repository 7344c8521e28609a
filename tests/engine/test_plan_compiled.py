"""Compiled plans keep TF1's semantics: same values as the interpreter, fresh fetched arrays,
variable reads from the start of the run, errors naming the op, safe concurrent runs."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import plan as plan_module
from gaussfit.engine.errors import FailedPreconditionError, InvalidArgumentError

RNG = np.random.default_rng(7)
DATA = RNG.gamma(2.0, 1.5, 400)
ROWS = RNG.normal(0.0, 1.0, (50, 3))


@pytest.fixture
def compile_now(monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)


def _graphs():
    """Fetches covering the op library: densities with their gradients and Hessians, axis
    reductions, broadcasting, slicing, joining, selection and casts."""
    x = tf.placeholder(tf.float64, shape=[None], name="x")
    rows = tf.placeholder(tf.float64, shape=[None, 3], name="rows")
    shape = tf.Variable(1.7, dtype=tf.float64, name="shape")
    scale = tf.Variable(1.3, dtype=tf.float64, name="scale")
    df = tf.Variable(4.5, dtype=tf.float64, name="df")
    w = tf.Variable(np.array([0.5, -1.0, 2.0]), name="w")
    params = [shape, scale, df]
    gamma = tf.reduce_sum(
        (shape - 1.0) * tf.log(x) - x / scale - tf.lgamma(shape) - shape * tf.log(scale)
    )
    z = (x - 3.0) / scale
    student = tf.reduce_sum(
        tf.lgamma((df + 1.0) / 2.0)
        - tf.lgamma(df / 2.0)
        - 0.5 * tf.log(df * np.pi)
        - tf.log(scale)
        - (df + 1.0) / 2.0 * tf.log1p(z**2.0 / df)
    )
    weibull = tf.reduce_sum(
        tf.log(shape / scale) + (shape - 1.0) * tf.log(x / scale) - tf.pow(x / scale, shape)
    )
    logits = rows * w + tf.reduce_mean(rows, axis=0, keepdims=True)
    mixed = tf.reduce_sum(tf.reduce_logsumexp(logits, axis=1)) + tf.reduce_sum(
        tf.softmax(logits) * rows
    )
    pieces = tf.concat([tf.expand_dims(x[:5], 0), tf.reshape(x[5:15], [2, 5])], axis=0)
    stacked = tf.stack([tf.reduce_max(pieces, axis=1), tf.reduce_min(pieces, axis=1)])
    chosen = tf.where(x > 2.0, tf.sqrt(x), tf.exp(-x)) + tf.maximum(x, 1.0) * tf.sigmoid(x)
    counts = tf.cast(tf.reduce_sum(tf.cast(x > 1.0, tf.int32)), tf.float64)
    fetches = [gamma, student, weibull, mixed, stacked, chosen, counts, tf.abs(-x) + tf.sign(x)]
    for density in (gamma, student, weibull):
        fetches += [g for g in tf.gradients(density, params) if g is not None]
    fetches += [h for h in tf.hessians(student, [df, scale]) if h is not None]
    fetches += tf.gradients(mixed, [w])
    fetches += tf.gradients(tf.reduce_sum(chosen * chosen) + tf.reduce_sum(x[2:7] ** 3.0), [x])
    return fetches, {x: DATA, rows: ROWS}


def _evaluate(compile_after: int, runs: int = 3):
    saved, plan_module.COMPILE_AFTER = plan_module.COMPILE_AFTER, compile_after
    try:
        tf.reset_default_graph()
        fetches, feed = _graphs()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            values = [session.run(fetches, feed) for _ in range(runs)][-1]
            compiled = sum(len(p.programs) for p in session._plans.values())
        return values, compiled
    finally:
        plan_module.COMPILE_AFTER = saved


def test_compiled_plans_give_the_interpreters_values():
    interpreted, none = _evaluate(10**9)
    compiled, some = _evaluate(0)
    assert none == 0 and some > 0
    for a, b in zip(compiled, interpreted, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-300)
        assert np.shape(a) == np.shape(b)


@pytest.mark.parametrize(
    "optimizer",
    [
        lambda: tf.train.GradientDescentOptimizer(0.01),
        lambda: tf.train.MomentumOptimizer(0.01, 0.9),
        lambda: tf.train.MomentumOptimizer(0.01, 0.9, use_nesterov=True),
        lambda: tf.train.AdamOptimizer(0.05),
    ],
    ids=["gd", "momentum", "nesterov", "adam"],
)
def test_training_steps_compiled_match_the_interpreter(optimizer):
    trajectories = []
    for compile_after in (10**9, 0):
        saved, plan_module.COMPILE_AFTER = plan_module.COMPILE_AFTER, compile_after
        try:
            tf.reset_default_graph()
            x = tf.placeholder(tf.float64, name="X")
            mu = tf.Variable(np.array([1.0, 0.0]), name="mu")
            sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
            loss = tf.reduce_sum(tf.square(x - mu) / (2.0 * sigma**2.0) + tf.log(sigma))
            step = optimizer().minimize(loss)
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                data = ROWS[:, :2]
                losses = [session.run([step, loss], {x: data})[1] for _ in range(6)]
                trajectories.append([*losses, *session.run([mu, sigma])])
        finally:
            plan_module.COMPILE_AFTER = saved
    for a, b in zip(*trajectories, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_fetched_arrays_are_never_the_reused_buffers(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    centred = x - 1.0
    doubled = tf.reshape(centred * 2.0, [-1, 1])  # a view of a pooled intermediate
    total = tf.reduce_sum(tf.exp(centred))
    with tf.Session() as session:
        first = session.run([doubled, total], {x: np.arange(100.0)})
        kept = first[0].copy()
        first[0][:] = -7.0  # the caller owns what it fetched
        second = session.run([doubled, total], {x: np.arange(100.0) + 5.0})
        np.testing.assert_array_equal(second[0].ravel(), (np.arange(100.0) + 4.0) * 2.0)
        assert not np.shares_memory(first[0], second[0])
        np.testing.assert_array_equal(kept.ravel(), (np.arange(100.0) - 1.0) * 2.0)


def test_written_variables_never_share_the_reused_buffers(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    v = tf.Variable(np.zeros(100), name="v")
    write = v.assign(tf.reshape(tf.exp(x) * 2.0, [-1]))
    with tf.Session() as session:
        session.run(v.initializer)
        session.run(write, {x: np.zeros(100)})
        session.run(tf.reduce_sum(tf.exp(x) * 2.0), {x: np.ones(100)})
        np.testing.assert_array_equal(session.run(v), np.full(100, 2.0))


def test_a_contiguous_float64_feed_is_used_as_it_is(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    data = np.arange(1000.0)
    with tf.Session() as session:
        assert session.run(tf.identity(x), {x: data}) is data
        session.run(x * 2.0, {x: data})
        np.testing.assert_array_equal(data, np.arange(1000.0))  # and never written into


def test_reads_see_the_start_of_the_run_and_writes_land_at_its_end(compile_now):
    v = tf.Variable(1.0, dtype=tf.float64, name="v")
    doubled = v * 2.0
    write = v.assign(10.0)
    bump = v.assign_add(5.0)
    with tf.Session() as session:
        session.run(v.initializer)
        assert session.run([write, doubled, v]) == [10.0, 2.0, 1.0]
        assert session.run([bump, doubled]) == [15.0, 20.0]
        assert session.run(v) == 15.0


def test_uninitialised_variables_are_still_a_failed_precondition(compile_now):
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    loss = (mu - 2.0) ** 2.0
    with tf.Session() as session:
        with pytest.raises(FailedPreconditionError, match="uninitialized value mu"):
            session.run(loss)
        assert session.run(mu.assign(3.0)) == 3.0
        assert session.run(loss) == 1.0


def test_a_failure_in_a_compiled_plan_names_the_op(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    y = tf.placeholder(tf.float64, name="Y")
    total = x + y
    with tf.Session() as session:
        assert session.run(total * 2.0, {x: np.ones(3), y: np.ones(3)}).tolist() == [4.0] * 3
        with pytest.raises(InvalidArgumentError) as info:
            session.run(total * 2.0, {x: np.ones(2), y: np.ones(3)})
    assert info.value.op is total.op
    assert "[[node add (Add)]]" in str(info.value)


def test_each_input_shape_gets_its_own_program(compile_now, monkeypatch):
    monkeypatch.setattr(plan_module, "MAX_PROGRAMS", 2)
    x = tf.placeholder(tf.float64, name="X")
    total = tf.reduce_sum(x * 3.0)
    with tf.Session() as session:
        for n in (3, 4, 5):
            assert session.run(total, {x: np.ones(n)}) == 3.0 * n
        (plan,) = session._plans.values()
    assert sorted(plan.programs) == [((4,),), ((5,),)]  # the oldest shapes were forgotten


def test_plans_compile_after_repeating_or_at_once_on_large_data(monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 2)
    x = tf.placeholder(tf.float64, name="X")
    total = tf.reduce_sum(x * 3.0)
    with tf.Session() as session:
        for _ in range(plan_module.COMPILE_AFTER):
            session.run(total, {x: np.ones(10)})
        (plan,) = session._plans.values()
        assert plan.programs == {}
        session.run(total, {x: np.ones(10)})
        assert list(plan.programs) == [((10,),)]
        session.run(total, {x: np.ones(plan_module.COMPILE_AT_ONCE_ELEMENTS)})
        assert len(plan.programs) == 2


def test_concurrent_runs_of_one_compiled_plan_do_not_share_buffers(compile_now):
    x = tf.placeholder(tf.float64, name="X")
    total = tf.reduce_sum(tf.exp(x - 1.0) * 2.0 + x)
    datasets = [np.full(20_000, float(k)) for k in range(4)]
    expected = [float(np.sum(np.exp(d - 1.0) * 2.0 + d)) for d in datasets]
    failures: list[str] = []
    with tf.Session() as session:
        session.run(total, {x: datasets[0]})

        def worker(k: int) -> None:
            for _ in range(200):
                got = session.run(total, {x: datasets[k]})
                if not np.isclose(got, expected[k], rtol=1e-12):
                    failures.append(f"{k}: {got} != {expected[k]}")

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_integer_and_boolean_graphs_compile_too(compile_now):
    n = tf.placeholder(tf.int32, name="n")
    flags = tf.logical_and(n > 1, n < 5)
    total = tf.reduce_sum(n * 3 - 1) + tf.reduce_sum(tf.cast(flags, tf.int32))
    with tf.Session() as session:
        values = np.arange(6, dtype=np.int32)
        assert session.run(total, {n: values}) == int(np.sum(values * 3 - 1)) + 3
        assert session.run(n // 2, {n: values}).tolist() == [0, 0, 1, 1, 2, 2]
