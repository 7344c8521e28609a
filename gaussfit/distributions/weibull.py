"""The Weibull family with shape k and scale lambda (scipy's weibull_min with loc 0)."""

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


class Weibull(Family):
    name = "weibull"
    aliases = ("weibull_min",)
    title = "Weibull with shape k and scale lambda"
    support = Support(lower=0.0)
    params = (
        Parameter("shape", POSITIVE, "shape k"),
        Parameter("scale", POSITIVE, "scale lambda"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # log x follows a Gumbel (minimum) law with standard deviation pi / (k sqrt 6), which
        # gives k; for that k the scale MLE is exact: lambda^k = mean(x^k), taken in logs.
        log_x = np.log(x)
        _, var = weighted_mean_var(log_x, w)
        shape = math.pi / math.sqrt(6.0 * var) if var > 0 else 1.0
        return {"shape": shape, "scale": math.exp(log_mean_exp(shape * log_x, w) / shape)}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # With z = log(x / lambda): log k + k z - exp(k z) - log x. (x/lambda)^k as exp(k z)
        # keeps the general pow, and its costly gradient, out of the graph.
        log_x = tf.log(x)
        kz = p["shape"] * (log_x - tf.log(p["scale"]))
        return tf.log(p["shape"]) + kz - tf.exp(kz) - log_x

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(self._power(x, p))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -self._power(x, p)

    @staticmethod
    def _power(x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """(x / lambda)^k, the cumulative hazard, as exp(k log(x / lambda))."""
        return tf.exp(p["shape"] * (tf.log(x) - tf.log(p["scale"])))

    def cdf(self, x: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        # 1 - exp(-(x / lambda)^k) as -expm1: scipy's weibull_min.cdf without the frozen
        # distribution.
        power = np.power(np.divide(x, params["scale"]), params["shape"])
        return np.negative(np.expm1(np.negative(power)))

    def cdf_with_logs(
        self, x: np.ndarray, params: dict[str, Any]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # (x / lambda)^k as exp(k (log x - log lambda)), cheaper than np.power; then
        # log(1 - F) = -(x / lambda)^k exactly, as scipy's weibull_min.logsf.
        power = np.exp(
            np.multiply(params["shape"], np.subtract(np.log(x), np.log(params["scale"])))
        )
        cdf = np.negative(np.expm1(np.negative(power)))
        return cdf, np.log(cdf), np.negative(power, out=power)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] * rng.weibull(params["shape"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.weibull_min(c=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, _, scale = stats.weibull_min.fit(x, floc=0)
        return {"shape": float(c), "scale": float(scale)}
