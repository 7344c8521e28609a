"""The Cauchy family: so heavy-tailed it has no mean, so every starting point uses quantiles."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import interquartile_range, median, positive
from gaussfit.distributions.tails import select

_LOG_PI = math.log(math.pi)


class Cauchy(Family):
    name = "cauchy"
    title = "Cauchy with location and scale"
    params = (
        Parameter("loc", REAL, "location (the median)"),
        Parameter("scale", POSITIVE, "scale (half the interquartile range)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The quartiles of a Cauchy law lie at loc ± scale.
        return {"loc": median(x, w), "scale": positive(0.5 * interquartile_range(x, w))}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = (x - p["loc"]) / p["scale"]
        return -_LOG_PI - tf.log(p["scale"]) - tf.log1p(tf.square(z))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return _log_cdf_standard((x - p["loc"]) / p["scale"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return _log_cdf_standard((p["loc"] - x) / p["scale"])

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["loc"] + params["scale"] * rng.standard_cauchy(size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.cauchy(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.cauchy.fit(x)
        return {"loc": float(loc), "scale": float(scale)}


def _log_cdf_standard(z: tf.Tensor) -> tf.Tensor:
    """log F(z) of the standard Cauchy law. 1/2 + atan(z)/pi loses every digit in the tails,
    so beyond |z| = 1 the tail is written with atan(1/|z|): F(z) = atan(-1/z)/pi for z < -1
    and log F(z) = log1p(-atan(1/z)/pi) for z > 1."""
    left = tf.less(z, -1.0)
    right = tf.greater(z, 1.0)
    body = tf.logical_not(tf.logical_or(left, right))
    left_tail = tf.log(tf.atan(-1.0 / select(left, z, -2.0))) - _LOG_PI
    right_tail = tf.log1p(-tf.atan(1.0 / select(right, z, 2.0)) / math.pi)
    middle = tf.log(0.5 + tf.atan(select(body, z, 0.0)) / math.pi)
    return tf.where(left, left_tail, tf.where(right, right_tail, middle))
