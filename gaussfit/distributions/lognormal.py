"""The lognormal family: log x ~ N(mu, sigma²), so everything reduces to the normal on log x."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.weighted import row_mean_var, total_weight, weighted_mean_var

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)


class LogNormal(Family):
    name = "lognormal"
    aliases = ("lognorm",)
    title = "Lognormal: log x ~ N(mu, sigma^2)"
    support = Support(lower=0.0)
    params = (
        Parameter("mu", REAL, "mean of log x"),
        Parameter("sigma", POSITIVE, "standard deviation of log x"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        mean, var = weighted_mean_var(np.log(x), w)
        return {"mu": mean, "sigma": math.sqrt(var) if var > 0 else 1.0}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        log_x = tf.log(x)
        z = (log_x - p["mu"]) / p["sigma"]
        return -log_x - tf.log(p["sigma"]) - _HALF_LOG_TWO_PI - 0.5 * tf.square(z)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_ndtr((tf.log(x) - p["mu"]) / p["sigma"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_ndtr((p["mu"] - tf.log(x)) / p["sigma"])

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Mean and variance of log x by two passes, as the normal family does for x.
        mean, var = weighted_mean_var(np.log(x), w)
        return {"n": total_weight(x, w), "mean_log": mean, "var_log": var}

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        # sum (log x - mu)^2 = n * (var + (mean - mu)^2); the Jacobian adds -sum log x.
        sigma, n = p["sigma"], s["n"]
        spread = s["var_log"] + tf.square(s["mean_log"] - p["mu"])
        return -n * (s["mean_log"] + _HALF_LOG_TWO_PI + tf.log(sigma)) - n * spread / (
            2.0 * tf.square(sigma)
        )

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        mean, var = weighted_mean_var(np.log(x), w)
        return {"mu": mean, "sigma": math.sqrt(var)}

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        mean, var = row_mean_var(np.log(block))
        n = np.full(np.shape(mean), float(np.shape(block)[-1]))
        return {"n": n, "mean_log": mean, "var_log": var}

    def mle_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        mean, var = row_mean_var(np.log(block))
        return {"mu": mean, "sigma": np.sqrt(var)}

    def cdf(self, x: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        # Phi((log x - mu) / sigma), scipy's lognorm.cdf without the frozen distribution.
        from scipy.special import ndtr

        with np.errstate(divide="ignore"):  # log 0 = -inf: F(0) = 0
            z = np.divide(np.subtract(np.log(x), params["mu"]), params["sigma"])
        return ndtr(z)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.lognormal(params["mu"], params["sigma"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.lognorm(s=params["sigma"], scale=np.exp(params["mu"]))

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        s, _, scale = stats.lognorm.fit(x, floc=0)
        return {"mu": math.log(scale), "sigma": float(s)}
