"""The Fréchet (inverse Weibull) family with shape c and scale s: 1/X is Weibull, so
F(x) = exp(-(x/s)^-c), the law of maxima of heavy-tailed data (scipy's ``invweibull``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import log_mean_exp
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean_var


class Frechet(Family):
    name = "frechet"
    aliases = ("invweibull",)
    title = "Fréchet (inverse Weibull) with shape c and scale s"
    support = Support(lower=0.0)
    params = (
        Parameter("shape", POSITIVE, "tail index c"),
        Parameter("scale", POSITIVE, "scale s"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # As for the Weibull on 1/x: c from the spread of log x (pi / (c sqrt 6)); for that c
        # the scale's MLE is exact, s^-c = mean(x^-c), taken in logs.
        log_x = np.log(x)
        _, var = weighted_mean_var(log_x, w)
        shape = math.pi / math.sqrt(6.0 * var) if var > 0 else 1.0
        return {"shape": shape, "scale": math.exp(-log_mean_exp(-shape * log_x, w) / shape)}

    def _power(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        """log(x/s) and (x/s)^-c, the latter as an exp to keep pow out of the graph."""
        z = tf.log(x) - tf.log(p["scale"])
        return z, tf.exp(-p["shape"] * z)

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z, t = self._power(x, p)
        return tf.log(p["shape"]) - tf.log(p["scale"]) - (p["shape"] + 1.0) * z - t

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -self._power(x, p)[1]

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(self._power(x, p)[1])

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] / rng.weibull(params["shape"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.invweibull(c=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, _, scale = stats.invweibull.fit(x, floc=0)
        return {"shape": float(c), "scale": float(scale)}
