"""The Rayleigh family with scale sigma: the length of a 2-d vector of independent normals
(wind speeds, wave heights); a Weibull of shape 2 (scipy's ``rayleigh`` with loc 0)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import positive
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean


class Rayleigh(Family):
    name = "rayleigh"
    title = "Rayleigh with scale sigma"
    support = Support(lower=0.0)
    params = (Parameter("scale", POSITIVE, "scale sigma (the mode)"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"scale": positive(self.closed_form(x, w)["scale"])}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        scale = p["scale"]
        return tf.log(x) - 2.0 * tf.log(scale) + self.log_sf(x, p)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x / p["scale"]
        return -0.5 * z * z

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_sf(x, p)))

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # d/d sigma of sum(log x - 2 log sigma - x^2 / (2 sigma^2)) = 0: sigma^2 = mean(x^2) / 2.
        return {"scale": math.sqrt(weighted_mean(np.square(x), w) / 2.0)}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.rayleigh(params["scale"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.rayleigh(scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        _, scale = stats.rayleigh.fit(x, floc=0)
        return {"scale": float(scale)}
