"""The lab's Gaussian step, written for each contestant.

One step is what the lab's training loop runs: the log-likelihood
``sum(-0.5*log(2*pi*sigma**2) - (x - mu)**2 / (2*sigma**2))``, its gradient in mu and sigma, and
a gradient-descent update of both, with the data fed on every call. The contestants:

* ``engine``: gaussfit.engine exactly as the lab writes it (placeholder, variables,
  ``GradientDescentOptimizer``, ``session.run([minimize_op, log_p], {x: data})``), its plan
  compiled to numpy code (``gaussfit.engine.compiler.codegen``) and never fused;
* ``fused``: the same session once its plan is fused into numba loops
  (``gaussfit.engine.compiler.fused``), when numba is installed;
* ``numpy``: the same step written by hand with the gradient worked out on paper;
* ``read``: ``np.sum(x)``, one read of the data: no step can be faster than this.

``peers.py`` adds TensorFlow, PyTorch and JAX when they are installed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

Step = Callable[[], object]


def data(n: int, seed: int = 0) -> np.ndarray:
    """The lab's data: N(2.5, 1.5²) draws."""
    return np.random.default_rng(seed).normal(2.5, 1.5, n)


def learning_rate(n: int) -> float:
    """Small enough that mu and sigma barely move however many steps are timed."""
    return 1e-6 / n


@contextlib.contextmanager
def fusing_after(seconds: float | None) -> Iterator[None]:
    """Run with plans fused after ``seconds`` of running (``inf``: never, 0: at once, None:
    when it pays, the default)."""
    from gaussfit.engine.compiler import fused

    saved, fused.FUSE_AFTER_SECONDS = fused.FUSE_AFTER_SECONDS, seconds
    try:
        yield
    finally:
        fused.FUSE_AFTER_SECONDS = saved


def fused_step(x: np.ndarray) -> Step:
    """The lab's step once its plan has been fused into numba loops."""
    run = engine_step(x)
    with fusing_after(0.0):
        for _ in range(3):  # compile (or load from the disk cache), then fuse
            run()
    return run


def engine_step(x: np.ndarray) -> Step:
    """The lab's step on the engine (run it inside ``fusing_after(inf)`` to keep it numpy)."""
    import gaussfit.engine as tf

    return lab_step(tf, x)


def lab_step(tf: Any, x: np.ndarray) -> Step:
    """The lab's graph and one gradient-descent step, written once for any TF1-style module
    (gaussfit's engine, or TensorFlow's v1 graph mode): the same program on two engines."""
    graph = tf.Graph()
    with graph.as_default():
        t_x = tf.placeholder(tf.float64, name="X")
        t_mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
        t_sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
        s2 = t_sigma**2.0
        log_p = tf.reduce_sum(-0.5 * tf.log(2.0 * np.pi * s2) - (t_x - t_mu) ** 2.0 / (2.0 * s2))
        step = tf.train.GradientDescentOptimizer(learning_rate(x.size)).minimize(-log_p)
        session = tf.Session(graph=graph)
        session.run(tf.global_variables_initializer())
    fetches, feed = [step, log_p], {t_x: x}

    def run() -> object:
        return session.run(fetches, feed)

    return run


def numpy_step(x: np.ndarray) -> Step:
    n, lr = x.size, learning_rate(x.size)
    state = {"mu": 1.0, "sigma": 1.0}

    def run() -> object:
        mu, sigma = state["mu"], state["sigma"]
        d = x - mu
        ss = d @ d
        sd = np.sum(d)
        s2 = sigma * sigma
        log_p = -0.5 * n * np.log(2 * np.pi * s2) - ss / (2 * s2)
        grad_mu = sd / s2
        grad_sigma = -n / sigma + ss / (sigma * s2)
        state["mu"] = mu + lr * grad_mu
        state["sigma"] = sigma + lr * grad_sigma
        return log_p

    return run


def read_once(x: np.ndarray) -> Step:
    def run() -> object:
        return np.sum(x)

    return run


BUILDERS: dict[str, Callable[[np.ndarray], Step]] = {
    "engine": engine_step,
    "numpy": numpy_step,
    "read": read_once,
}


def numba_installed() -> bool:
    from gaussfit.engine.compiler import fused

    return fused.available()
