"""Log-probabilities of tails as engine ops, accurate where the probabilities are tiny.

Also the exponent of the generalized extreme value and Pareto laws, exact at their xi -> 0
limits, and the log-density outside a support that moves with the parameters.

``log1mexp(t) = log(1 - exp(-t))`` turns a log-probability into the log of its complement
(log S from log F and back) without the cancellation of ``log(1 - exp(-t))`` written out: for
small t it uses ``log(-expm1(-t))``, for large t ``log1p(-exp(-t))`` (Mächler, "Accurately
computing log(1 - exp(-|a|))", 2012). Both branches are built on arguments kept inside their own
range, so the unused branch of ``where`` never makes an infinity whose zero gradient would turn
into NaN.
"""

from __future__ import annotations

import math

import gaussfit.engine as tf

LOG_2 = math.log(2.0)


def log1mexp(t: tf.Tensor) -> tf.Tensor:
    """log(1 - exp(-t)) for t > 0 (elementwise, -inf at t = 0)."""
    small = tf.less(t, LOG_2)
    near = select(small, t, LOG_2)
    far = select(tf.logical_not(small), t, LOG_2)
    return tf.where(small, tf.log(-tf.expm1(-near)), tf.log1p(-tf.exp(-far)))


def select(condition: tf.Tensor, x: tf.Tensor, safe: float) -> tf.Tensor:
    """``x`` where ``condition`` holds, else the constant ``safe``: the argument of a branch
    that ``where`` will only use under ``condition``, kept finite everywhere else."""
    return tf.where(condition, x, tf.ones_like(x) * safe)


# Below |xi u| = 1e-3 the series' first omitted term, (xi u)^5 / 6, is under 2e-16 relative.
_SERIES_BELOW = 1e-3


def log1p_ratio(xi: tf.Tensor, u: tf.Tensor) -> tf.Tensor:
    """log(1 + xi u) / xi, continued to u at xi = 0: the exponent of the generalized extreme
    value and Pareto laws, whose xi -> 0 limits (Gumbel, exponential) it makes exact.

    Near xi u = 0 a five-term series replaces the quotient (0/0 at xi = 0); where 1 + xi u <= 0
    (outside the support) it is -inf for xi > 0 and +inf for xi < 0. Each branch gets inputs
    valid for it, so the unused one carries no NaN into the gradient.
    """
    v = xi * u
    small = tf.abs(v) < _SERIES_BELOW
    safe_xi = tf.where(small, tf.ones_like(xi * u), xi * tf.ones_like(u))
    safe_v = tf.where(small, tf.ones_like(v), tf.maximum(v, -1.0))
    quotient = tf.log1p(safe_v) / safe_xi
    w = tf.where(small, v, tf.zeros_like(v))
    series = u * (1.0 + w * (-1.0 / 2.0 + w * (1.0 / 3.0 + w * (-1.0 / 4.0 + w / 5.0))))
    return tf.where(small, series, quotient)


def zero_density(like: tf.Tensor) -> tf.Tensor:
    """-inf shaped like ``like``: the log-density outside a support that moves with the
    parameters (the generalized extreme value and Pareto laws' ends)."""
    return tf.constant(-math.inf, dtype=tf.float64) * tf.ones_like(like)
