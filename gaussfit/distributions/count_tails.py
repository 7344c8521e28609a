"""Small graph pieces shared by the count families' log-masses and tails.

``log_add`` is log(e^a + e^b) (a zero-inflated family's mass at zero, and its CDF: the extra
zeros plus the count part). ``outside_counts`` gives log F or log S its values off the support:
below 0 nothing has happened yet (F = 0, S = 1), from the support's top on everything has
(F = 1, S = 0). Arguments of the functions that would fail there are replaced first (``select``),
so no infinity or NaN reaches a gradient.
"""

from __future__ import annotations

import math

import gaussfit.engine as tf
from gaussfit.distributions.tails import LOG_2, log1mexp, select

NEG_INF = -math.inf


def log_add(a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    """log(exp(a) + exp(b)) for finite a, b: the larger plus log1p of the smaller's share."""
    top = tf.maximum(a, b)
    return top + tf.log1p(tf.exp(-tf.abs(a - b)))


def constant_like(value: float, like: tf.Tensor) -> tf.Tensor:
    """``value`` (maybe ±inf) in the shape of ``like``."""
    return tf.constant(value, dtype=tf.float64) * tf.ones_like(like)


def outside_counts(
    k: tf.Tensor, inside: tf.Tensor, value: tf.Tensor, *, below: float, above: float
) -> tf.Tensor:
    """``value`` where ``inside``; else ``below`` for k < 0 and ``above`` for k past the top."""
    off = tf.where(tf.less(k, 0.0), constant_like(below, k), constant_like(above, k))
    return tf.where(inside, value, off)


def log_cdf_near_one(log_direct: tf.Tensor, log_sf: tf.Tensor) -> tf.Tensor:
    """log F, from log(1 - S) where S < 1/2: a zero-inflated F = pi + (1 - pi) F_base sums
    to 1 - 1e-176 far right, which its direct sum rounds to 1 (log F = 0); the survival
    side keeps those digits."""
    near_one = tf.less(log_sf, -LOG_2)
    from_sf = log1mexp(-select(near_one, log_sf, -1.0))
    return tf.where(near_one, from_sf, log_direct)
