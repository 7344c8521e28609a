"""Log-probabilities of tails as engine ops, accurate where the probabilities are tiny.

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
