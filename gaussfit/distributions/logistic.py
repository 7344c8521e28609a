"""The logistic family: a normal-like bell with exponential tails and a closed-form CDF."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import interquartile_range, median, positive
from gaussfit.distributions.weighted import weighted_mean_var

# The quartiles of a logistic law lie at loc ± scale log 3.
_SCALE_PER_IQR = 0.5 / math.log(3.0)
_SCALE_PER_STD = math.sqrt(3.0) / math.pi


class Logistic(Family):
    name = "logistic"
    title = "Logistic with location and scale"
    params = (
        Parameter("loc", REAL, "location (mean and median)"),
        Parameter("scale", POSITIVE, "scale"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        std = math.sqrt(weighted_mean_var(x, w)[1])
        scale = positive(_SCALE_PER_IQR * interquartile_range(x, w), _SCALE_PER_STD * std)
        return {"loc": median(x, w), "scale": scale}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # log p = -z - log(scale) - 2 log(1 + exp(-z)); softplus keeps exp(-z) from overflowing
        # in the left tail.
        z = (x - p["loc"]) / p["scale"]
        return -z - tf.log(p["scale"]) - 2.0 * tf.softplus(-z)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # F = 1 / (1 + exp(-z)): log F = -softplus(-z), exact in both tails.
        return -tf.softplus(-(x - p["loc"]) / p["scale"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -tf.softplus((x - p["loc"]) / p["scale"])

    def cdf(self, x: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        # 1 / (1 + exp(-z)) by expit: scipy's logistic.cdf without the frozen distribution.
        from scipy.special import expit

        return expit(np.divide(np.subtract(x, params["loc"]), params["scale"]))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.logistic(params["loc"], params["scale"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.logistic(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.logistic.fit(x)
        return {"loc": float(loc), "scale": float(scale)}
