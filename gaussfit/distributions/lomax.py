"""The Lomax (Pareto type II) family with shape c and scale s, for heavy-tailed positive data:
S(x) = (1 + x/s)^-c, so only moments below c exist (scipy's ``lomax`` with loc 0)."""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import positive
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean, weighted_quantile


class Lomax(Family):
    name = "lomax"
    aliases = ("pareto2",)
    title = "Lomax (Pareto II) with shape c and scale s"
    support = Support(lower=0.0)
    params = (
        Parameter("shape", POSITIVE, "tail index c"),
        Parameter("scale", POSITIVE, "scale s"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The median m and upper quartile q satisfy 1 + q/s = (1 + m/s)^2, so 1/s = (q - 2m)/m^2
        # (moments may not exist, quantiles always do). Data lighter-tailed than that (q <= 2m)
        # lie near the exponential limit: a scale well beyond the data. For the scale, the
        # shape's MLE is exact: 1/c = mean log(1 + x/s).
        m = weighted_quantile(x, w, 0.5)
        q = weighted_quantile(x, w, 0.75)
        scale = m * m / (q - 2.0 * m) if q > 2.0 * m else 10.0 * weighted_mean(x, w)
        scale = positive(scale, weighted_mean(x, w))
        shape = 1.0 / positive(weighted_mean(np.log1p(np.divide(x, scale)), w))
        return {"shape": shape, "scale": scale}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        shape, scale = p["shape"], p["scale"]
        return tf.log(shape) - tf.log(scale) - (shape + 1.0) * tf.log1p(x / scale)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -p["shape"] * tf.log1p(x / p["scale"])

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_sf(x, p)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] * rng.pareto(params["shape"], size=n)  # numpy's is the Lomax

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.lomax(c=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, _, scale = stats.lomax.fit(x, floc=0)
        return {"shape": float(c), "scale": float(scale)}
