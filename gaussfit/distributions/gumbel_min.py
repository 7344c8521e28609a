"""The Gumbel family for minima with location and scale: -X is Gumbel (maxima), so
S(x) = exp(-e^z) with z = (x - loc)/scale; the log of a Weibull variable (scipy's ``gumbel_l``)."""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.gumbel import Gumbel
from gaussfit.distributions.tails import log1mexp

# Below z = -30, log(1 - exp(-e^z)) = z - e^z/2 to rounding; it also holds where e^z underflows.
_FAR_LEFT = -30.0


class GumbelMin(Family):
    name = "gumbel_min"
    aliases = ("gumbel_l",)
    title = "Gumbel (minima) with location and scale"
    params = (
        Parameter("loc", REAL, "location (the mode)"),
        Parameter("scale", POSITIVE, "scale"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The mirror image of the Gumbel's start (scale from the sd, then the exact loc MLE
        # for it): start the Gumbel for maxima on -x and negate its location.
        start = Gumbel().initial(np.negative(x), w)
        return {"loc": -start["loc"], "scale": start["scale"]}

    def _z(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return (x - p["loc"]) / p["scale"]

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = self._z(x, p)
        return z - tf.exp(z) - tf.log(p["scale"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -tf.exp(self._z(x, p))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = self._z(x, p)
        far = tf.minimum(z, _FAR_LEFT)
        near = tf.maximum(z, _FAR_LEFT)
        return tf.where(z < _FAR_LEFT, far - 0.5 * tf.exp(far), log1mexp(tf.exp(near)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return -rng.gumbel(-params["loc"], params["scale"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.gumbel_l(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.gumbel_l.fit(x)
        return {"loc": float(loc), "scale": float(scale)}
