"""The log-logistic family with shape c and scale s (median s): log X is logistic, so
F(x) = 1 / (1 + (x/s)^-c); survival analysis' odds model (scipy's ``fisk``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import median
from gaussfit.distributions.weighted import weighted_mean_var


class LogLogistic(Family):
    name = "loglogistic"
    aliases = ("fisk",)
    title = "Log-logistic with shape c and scale s (the median)"
    support = Support(lower=0.0)
    params = (
        Parameter("shape", POSITIVE, "shape c"),
        Parameter("scale", POSITIVE, "scale s, the median"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # log x is logistic with location log s (its median) and sd pi / (c sqrt 3).
        log_x = np.log(x)
        _, var = weighted_mean_var(log_x, w)
        shape = math.pi / math.sqrt(3.0 * var) if var > 0 else 1.0
        return {"shape": shape, "scale": math.exp(median(log_x, w))}

    def _cz(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return p["shape"] * (tf.log(x) - tf.log(p["scale"]))

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        cz = self._cz(x, p)
        return tf.log(p["shape"]) - tf.log(x) + cz - 2.0 * tf.softplus(cz)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -tf.softplus(-self._cz(x, p))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -tf.softplus(self._cz(x, p))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] * np.exp(rng.logistic(size=n) / params["shape"])

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.fisk(c=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, _, scale = stats.fisk.fit(x, floc=0)
        return {"shape": float(c), "scale": float(scale)}
