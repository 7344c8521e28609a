"""Fused numba loops (``gaussfit.engine.compiler.fused``) give the interpreter's results to 1e-12.

Skipped without numba (the extra ``gaussfit[fast]``). Plans are compiled and fused at once, on
small arrays, with kernels cached in a temporary directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import plan as plan_module
from gaussfit.engine.compiler import fused

pytest.importorskip("numba")

REPO = Path(__file__).resolve().parents[2]
DATA = np.random.default_rng(3).gamma(2.0, 1.5, 3000)


@pytest.fixture
def fuse_now(monkeypatch, tmp_path):
    monkeypatch.setenv("GAUSSFIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)
    monkeypatch.setattr(fused, "FUSE_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(fused, "FUSE_MIN_ELEMENTS", 64)
    return tmp_path


def _run_both(build, runs: int = 4):
    """The fetches of ``build()`` after ``runs`` runs: interpreted, then compiled and fused."""
    results, sources = [], []
    for compile_after in (10**9, 0):
        saved, plan_module.COMPILE_AFTER = plan_module.COMPILE_AFTER, compile_after
        try:
            tf.reset_default_graph()
            fetches, feed = build()
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                values = [session.run(fetches, feed) for _ in range(runs)]
                results.append(values[-1])
                sources += [
                    p.source for plan in session._plans.values() for p in plan.programs.values()
                ]
        finally:
            plan_module.COMPILE_AFTER = saved
    return results, "\n".join(sources)


def _lab_step():
    x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    s2 = sigma**2.0
    log_p = tf.reduce_sum(-0.5 * tf.log(2.0 * np.pi * s2) - (x - mu) ** 2.0 / (2.0 * s2))
    step = tf.train.GradientDescentOptimizer(1e-5).minimize(-log_p)
    return [step, log_p, mu.value(), sigma.value()], {x: DATA}


def _densities():
    x = tf.placeholder(tf.float64, shape=[None], name="x")
    shape = tf.Variable(1.7, dtype=tf.float64, name="shape")
    scale = tf.Variable(1.3, dtype=tf.float64, name="scale")
    df = tf.Variable(4.5, dtype=tf.float64, name="df")
    z = (x - 3.0) / scale
    gamma = tf.reduce_sum(
        (shape - 1.0) * tf.log(x) - x / scale - tf.lgamma(shape) - shape * tf.log(scale)
    )
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
    params = [shape, scale, df]
    fetches = [gamma, student, weibull]
    for density in fetches[:3]:
        fetches += [g for g in tf.gradients(density, params) if g is not None]
    fetches += [h for h in tf.hessians(weibull, [shape, scale]) if h is not None]
    return fetches, {x: DATA}


def test_the_lab_step_fuses_into_one_loop_and_matches_the_interpreter(fuse_now):
    (interpreted, compiled), source = _run_both(_lab_step)
    assert source.count("call_kernel(") == 1
    assert "subtract(" not in source  # x - mu is never stored
    np.testing.assert_allclose(compiled[1:], interpreted[1:], rtol=1e-12)


def test_densities_gradients_and_hessians_match_the_interpreter(fuse_now):
    (interpreted, compiled), source = _run_both(_densities, runs=2)
    assert "call_kernel(" in source
    for a, b in zip(compiled, interpreted, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_a_sum_that_needs_another_sum_gets_a_second_loop(fuse_now):
    def build():
        x = tf.placeholder(tf.float64, name="X")
        mean = tf.reduce_sum(x) / float(DATA.size)
        return [tf.reduce_sum((x - mean) ** 2.0), tf.reduce_sum(tf.exp(-x))], {x: DATA}

    (interpreted, compiled), source = _run_both(build)
    program = source.split("def program")[-1]
    assert program.count("call_kernel(") == 2
    np.testing.assert_allclose(compiled, interpreted, rtol=1e-12)
    assert compiled[0] == pytest.approx(np.sum((DATA - DATA.mean()) ** 2), rel=1e-12)


def test_ops_a_loop_cannot_compute_stay_numpy(fuse_now):
    def build():
        x = tf.placeholder(tf.float64, name="X")
        total = tf.reduce_sum(tf.digamma(x) * 2.0 + tf.log(x)) + tf.reduce_sum(tf.sqrt(x))
        return [total], {x: DATA}

    (interpreted, compiled), source = _run_both(build)
    assert "digamma(" in source and "call_kernel(" in source
    np.testing.assert_allclose(compiled, interpreted, rtol=1e-12)


def test_nan_and_infinity_propagate_as_in_numpy(fuse_now):
    def build():
        x = tf.placeholder(tf.float64, name="X")
        return [tf.reduce_sum(tf.log(x)), tf.reduce_sum(1.0 / x)], {x: DATA - 1.0}

    (interpreted, compiled), _ = _run_both(build)
    assert np.isnan(interpreted[0]) and np.isnan(compiled[0])
    np.testing.assert_allclose(compiled[1], interpreted[1], rtol=1e-12)
    zero = np.concatenate([[0.0], DATA])
    with tf.Session() as session:
        x = tf.placeholder(tf.float64, name="Z")
        for _ in range(3):
            assert session.run(tf.reduce_sum(tf.log(x) * 0.5), {x: zero}) == -np.inf


def test_kernels_are_cached_on_disk_for_the_next_process(fuse_now):
    code = """
import json, numpy as np
import gaussfit.engine as tf
from gaussfit.engine import plan
from gaussfit.engine.compiler import fused
plan.COMPILE_AFTER = 0
fused.FUSE_AFTER_SECONDS = 0.0
fused.FUSE_MIN_ELEMENTS = 64
x = tf.placeholder(tf.float64, name="X")
total = tf.reduce_sum(tf.exp(x) * 3.0 - x)
with tf.Session() as session:
    for _ in range(3):
        session.run(total, {x: np.linspace(0.0, 1.0, 500)})
hits = [sum(k.stats.cache_hits.values()) for k in fused._LOADED.values()]
print(json.dumps({"hits": hits}))
"""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first, second = runs
    assert len(first["hits"]) == 1 and sum(first["hits"]) == 0  # compiled, then saved
    assert sum(second["hits"]) == 1  # loaded from disk: no compilation
    assert list(fuse_now.glob("kernels/kernel_*.py"))


def test_without_numba_nothing_is_fused(fuse_now, monkeypatch):
    monkeypatch.setattr(fused, "available", lambda: False)
    (interpreted, compiled), source = _run_both(_lab_step)
    assert "call_kernel(" not in source
    np.testing.assert_allclose(compiled[1:], interpreted[1:], rtol=1e-12)
