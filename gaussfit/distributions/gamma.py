"""The gamma family with shape k and scale theta (no location: data are positive).

Its log-likelihood depends on the data only through n, sum x and sum log x, so a fit on these
three numbers costs the same for a thousand values as for a billion: what scipy's
``gamma.fit(x, floc=0)`` exploits too.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.weighted import (
    count_sum_and_log_sum,
    weighted_mean,
)

_MAX_SHAPE_STEPS = 50


class Gamma(Family):
    name = "gamma"
    title = "Gamma with shape k and scale theta"
    support = Support(lower=0.0)
    params = (
        Parameter("shape", POSITIVE, "shape k"),
        Parameter("scale", POSITIVE, "scale theta (mean / shape)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The shape MLE solves log k - digamma(k) = s with s = log(mean) - mean(log x) >= 0;
        # Minka's (Choi-Wette) closed-form approximation is within 1.5% of the root.
        mean = weighted_mean(x, w)
        s = math.log(mean) - weighted_mean(np.log(x), w)
        # s = 0 means all values are equal: no finite MLE, and any start will do.
        shape = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s) if s > 0 else 1.0
        return {"shape": shape, "scale": mean / shape}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        shape, scale = p["shape"], p["scale"]
        return (shape - 1.0) * tf.log(x) - x / scale - tf.lgamma(shape) - shape * tf.log(scale)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # log P(k, x / theta): log_igamma stays finite far left, where P underflows.
        return tf.log_igamma(p["shape"], x / p["scale"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # log Q(k, x / theta), from the continued fraction far right (log Q(2.5, 800) = -790).
        return tf.log_igammac(p["shape"], x / p["scale"])

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return count_sum_and_log_sum(x, w)

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        shape, scale = p["shape"], p["scale"]
        return (
            (shape - 1.0) * s["sum_log_x"]
            - s["sum_x"] / scale
            - s["n"] * (tf.lgamma(shape) + shape * tf.log(scale))
        )

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        total = np.sum(block, axis=-1)
        return {
            "n": np.full(np.shape(total), float(np.shape(block)[-1])),
            "sum_x": total,
            "sum_log_x": np.sum(np.log(block), axis=-1),
        }

    def mle_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        # The scale profiles out (theta = mean / k), leaving one equation in the shape,
        # log k - digamma(k) = s, s = log(mean) - mean(log x), solved for all rows together
        # by Minka's Newton iteration on 1/k from his closed-form start (initial's).
        from scipy.special import digamma, polygamma

        mean = np.mean(block, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.log(mean) - np.mean(np.log(block), axis=-1)
            # s <= 0 (all values equal) has no finite MLE: NaN marks the row for a fit of its own.
            s = np.where(s > 0, s, np.nan)
            shape = (3.0 - s + np.sqrt(np.square(s - 3.0) + 24.0 * s)) / (12.0 * s)
            for _ in range(_MAX_SHAPE_STEPS):
                residual = np.log(shape) - digamma(shape) - s
                slope = np.square(shape) * (1.0 / shape - polygamma(1, shape))
                updated = 1.0 / (1.0 / shape + residual / slope)
                change = np.abs(updated - shape)
                shape = updated
                if not np.any(change > 1e-13 * shape):
                    break
        return {"shape": shape, "scale": mean / shape}

    def cdf(self, x: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        # The regularised lower incomplete gamma P(k, x / theta): scipy's gamma.cdf without
        # the frozen distribution.
        from scipy.special import gammainc

        return gammainc(params["shape"], np.divide(x, params["scale"]))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.gamma(params["shape"], params["scale"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.gamma(a=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        a, _, scale = stats.gamma.fit(x, floc=0)
        return {"shape": float(a), "scale": float(scale)}
