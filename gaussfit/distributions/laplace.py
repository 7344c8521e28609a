"""The Laplace (double exponential) family: the median's distribution, as the normal is the
mean's."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import median, positive
from gaussfit.distributions.tails import select
from gaussfit.distributions.weighted import weighted_mean

_LOG_TWO = math.log(2.0)


class Laplace(Family):
    name = "laplace"
    title = "Laplace with location and scale"
    params = (
        Parameter("loc", REAL, "location (the median)"),
        Parameter("scale", POSITIVE, "scale (mean absolute deviation)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        mle = self.closed_form(x, w)
        return {"loc": mle["loc"], "scale": positive(mle["scale"])}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        scale = p["scale"]
        return -_LOG_TWO - tf.log(scale) - tf.abs(x - p["loc"]) / scale

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return _log_cdf_standard((x - p["loc"]) / p["scale"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return _log_cdf_standard((p["loc"] - x) / p["scale"])

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Any weighted median maximises the likelihood in loc (the sum of |x - loc| is flat
        # between the middle values); the scale is then the mean absolute deviation from it.
        loc = median(x, w)
        return {"loc": loc, "scale": weighted_mean(np.abs(np.subtract(x, loc)), w)}

    def expected_information(self, params: dict[str, float], n: float) -> np.ndarray:
        # |x - loc| has no second derivative in loc, so the observed Hessian is zero there;
        # the expected information is n / scale^2 for each parameter, and they are orthogonal.
        return np.diag([n, n]) / params["scale"] ** 2

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.laplace(params["loc"], params["scale"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.laplace(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.laplace.fit(x)
        return {"loc": float(loc), "scale": float(scale)}


def _log_cdf_standard(z: tf.Tensor) -> tf.Tensor:
    """log F(z) of the standard Laplace law: z - log 2 below the median, and
    log(1 - exp(-z) / 2) above it (exp(-z) evaluated only there, so it cannot overflow)."""
    below = tf.less(z, 0.0)
    above = select(tf.logical_not(below), z, 0.0)
    return tf.where(below, z - _LOG_TWO, tf.log1p(-0.5 * tf.exp(-above)))
