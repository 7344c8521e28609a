"""The inverse gamma family with shape a and scale b: 1/X is gamma(a, 1/b), so
F(x) = Q(a, b/x), the regularized upper incomplete gamma (scipy's ``invgamma`` with loc 0)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.weighted import weighted_mean


class InverseGamma(Family):
    name = "invgamma"
    aliases = ("inverse_gamma",)
    title = "Inverse gamma with shape a and scale b"
    support = Support(lower=0.0)
    params = (
        Parameter("shape", POSITIVE, "shape a"),
        Parameter("scale", POSITIVE, "scale b"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The gamma's start (Minka's approximation) on y = 1/x: shape a, and b = a / mean(y).
        y = np.reciprocal(x)
        mean = weighted_mean(y, w)
        s = math.log(mean) - weighted_mean(np.log(y), w)
        shape = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s) if s > 0 else 1.0
        return {"shape": shape, "scale": shape / mean}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        a, b = p["shape"], p["scale"]
        return a * tf.log(b) - tf.lgamma(a) - (a + 1.0) * tf.log(x) - b / x

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igammac(p["shape"], p["scale"] / x)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igamma(p["shape"], p["scale"] / x)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] / rng.gamma(params["shape"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.invgamma(a=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        a, _, scale = stats.invgamma.fit(x, floc=0)
        return {"shape": float(a), "scale": float(scale)}
