"""A censored log-likelihood assembled from the families' graphs (log f for exact values,
log S for right-censored ones, log F for left-censored ones) is maximised by Newton's method
with the engine's gradient and Hessian, and lands on scipy's own censored-data MLE
(``stats.<dist>.fit(stats.CensoredData(...))``), which maximises scipy's logpdf/logcdf/logsf.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import gaussfit.engine as tf
from gaussfit.distributions import get_family


def _newton(family, exact: np.ndarray, left: np.ndarray, right: np.ndarray, start: dict):
    """Maximise the censored log-likelihood over the unconstrained coordinates."""
    free_names = family.free_names()
    free = {
        n: tf.Variable(v, dtype=tf.float64, name=n)
        for n, v in family.to_unconstrained(start).items()
    }
    params = family.to_constrained(free)
    total = tf.reduce_sum(family.log_prob(tf.constant(exact), params))
    if left.size:
        total += tf.reduce_sum(family.log_cdf(tf.constant(left), params))
    if right.size:
        total += tf.reduce_sum(family.log_sf(tf.constant(right), params))
    variables = [free[n] for n in free_names]
    gradient = tf.gradients(total, variables)
    hessian = [tf.gradients(g, variables) for g in gradient]
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())

        def evaluate(point):
            for var, v in zip(variables, point, strict=True):
                var.load(v, session)
            return session.run([total, gradient, hessian])

        point = np.array(session.run(variables))
        value, g, h = evaluate(point)
        # Newton with Levenberg-Marquardt damping: a step is taken only if it gains.
        for _ in range(100):
            if np.max(np.abs(g)) < 1e-9:
                break
            damping = 0.0
            while True:
                step = np.linalg.solve(-np.array(h) + damping * np.eye(len(point)), np.array(g))
                trial = evaluate(point + step)
                if np.isfinite(trial[0]) and trial[0] >= value:
                    break
                damping = max(2.0 * damping, 1e-3 * np.max(np.abs(h)))
            point = point + step
            value, g, h = trial
        estimate = session.run(params)
        return {k: float(v) for k, v in estimate.items()}, float(value)


def _scipy_loglik(dist, exact, left, right):
    return float(np.sum(dist.logpdf(exact)) + np.sum(dist.logcdf(left)) + np.sum(dist.logsf(right)))


def test_right_censored_gamma_matches_scipys_censored_fit():
    rng = np.random.default_rng(7)
    x = rng.gamma(2.5, 2.0, size=400)
    limit = 6.0  # a study that stops watching at 6: longer lifetimes are right-censored
    exact, right = x[x <= limit], np.full(np.count_nonzero(x > limit), limit)
    family = get_family("gamma")
    ours, loglik = _newton(family, exact, np.array([]), right, family.initial(exact, None))
    data = stats.CensoredData(uncensored=exact, right=right)
    a, _, scale = stats.gamma.fit(data, floc=0)
    theirs = stats.gamma(a, scale=scale)
    assert loglik >= _scipy_loglik(theirs, exact, [], right) - 1e-9
    assert ours["shape"] == pytest.approx(a, rel=1e-3)
    assert ours["scale"] == pytest.approx(scale, rel=1e-3)
    ours_dist = stats.gamma(ours["shape"], scale=ours["scale"])
    assert loglik == pytest.approx(_scipy_loglik(ours_dist, exact, [], right), rel=1e-12)


def test_left_censored_lognormal_below_a_detection_limit_matches_scipys_censored_fit():
    rng = np.random.default_rng(3)
    x = rng.lognormal(-1.0, 1.2, size=300)
    limit = 0.2  # concentrations below the detection limit are reported as "< 0.2"
    exact, left = x[x >= limit], np.full(np.count_nonzero(x < limit), limit)
    family = get_family("lognormal")
    ours, loglik = _newton(family, exact, left, np.array([]), family.initial(exact, None))
    data = stats.CensoredData(uncensored=exact, left=left)
    s, _, scale = stats.lognorm.fit(data, floc=0)
    theirs = stats.lognorm(s, scale=scale)
    assert loglik >= _scipy_loglik(theirs, exact, left, []) - 1e-9
    assert ours["mu"] == pytest.approx(np.log(scale), rel=1e-3, abs=1e-4)
    assert ours["sigma"] == pytest.approx(s, rel=1e-3)
