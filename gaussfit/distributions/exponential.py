"""The exponential family with rate lambda: density lambda * exp(-lambda x) on x > 0."""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import total_weight, weighted_mean, weighted_sum


class Exponential(Family):
    name = "exponential"
    aliases = ("expon",)
    title = "Exponential with rate lambda"
    support = Support(lower=0.0)
    params = (Parameter("rate", POSITIVE, "events per unit (1 / mean)"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return self.closed_form(x, w)

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log(p["rate"]) - p["rate"] * x

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(p["rate"] * x)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -p["rate"] * x

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"n": total_weight(x, w), "sum_x": weighted_sum(x, w)}

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        return s["n"] * tf.log(p["rate"]) - p["rate"] * s["sum_x"]

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"rate": 1.0 / weighted_mean(x, w)}

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        total = np.sum(block, axis=-1)
        return {"n": np.full(np.shape(total), float(np.shape(block)[-1])), "sum_x": total}

    def mle_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        return {"rate": np.divide(1.0, np.mean(block, axis=-1))}

    def cdf(self, x: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        # 1 - exp(-rate x) as -expm1, scipy's expon.cdf without the frozen distribution.
        return np.negative(np.expm1(np.negative(np.multiply(params["rate"], x))))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.exponential(1.0 / params["rate"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.expon(scale=1.0 / params["rate"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        _, scale = stats.expon.fit(x, floc=0)
        return {"rate": 1.0 / scale}
