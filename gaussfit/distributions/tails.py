"""Graph pieces shared by families whose CDF is elementary: log(1 - e^y) without cancellation.

When a family's log-survival is -t (t = (x / scale)^k, say), its log-CDF is log(1 - e^-t): for
small t, 1 - e^-t is t to rounding, and ``log(-expm1(-t))`` keeps every digit; for large t the
same expression would take the log of a value that rounds to 1, and ``log1p(-exp(-t))`` keeps
the tiny deficit instead. The switch at log 2 is Maechler's (2012, "Accurately computing
log(1 - exp(-|a|))").
"""

from __future__ import annotations

import math

import gaussfit.engine as tf

_LOG_HALF = -math.log(2.0)


def log1mexp(y: tf.Tensor) -> tf.Tensor:
    """log(1 - exp(y)) for y <= 0, accurate on both sides of y = -log 2.

    Each branch sees an argument clamped into its own half, so neither produces a NaN that
    the unused side of ``where`` would carry into the gradient.
    """
    near = tf.maximum(y, _LOG_HALF)
    far = tf.minimum(y, _LOG_HALF)
    return tf.where(y > _LOG_HALF, tf.log(-tf.expm1(near)), tf.log1p(-tf.exp(far)))


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
