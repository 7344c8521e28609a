"""The Maxwell-Boltzmann family with scale a: the speed of a particle, the length of a 3-d
vector of independent normals; X^2 / (2 a^2) is gamma(3/2), which gives its CDF (scipy's
``maxwell`` with loc 0)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import positive
from gaussfit.distributions.weighted import weighted_mean

_HALF_LOG_TWO_OVER_PI = 0.5 * math.log(2.0 / math.pi)


class Maxwell(Family):
    name = "maxwell"
    title = "Maxwell-Boltzmann with scale a"
    support = Support(lower=0.0)
    params = (Parameter("scale", POSITIVE, "scale a"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"scale": positive(self.closed_form(x, w)["scale"])}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x / p["scale"]
        return _HALF_LOG_TWO_OVER_PI + 2.0 * tf.log(z) - 0.5 * z * z - tf.log(p["scale"])

    def _half_square(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x / p["scale"]
        return 0.5 * z * z

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igamma(1.5, self._half_square(x, p))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igammac(1.5, self._half_square(x, p))

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The score of a is -3/a + sum x^2 / a^3: a^2 = mean(x^2) / 3.
        return {"scale": math.sqrt(weighted_mean(np.square(x), w) / 3.0)}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] * np.sqrt(rng.chisquare(3.0, size=n))

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.maxwell(scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        _, scale = stats.maxwell.fit(x, floc=0)
        return {"scale": float(scale)}
