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


NEG_INF = -math.inf
