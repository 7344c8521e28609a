"""The beta family on the open unit interval: proportions, rates, probabilities."""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.weighted import total_weight, weighted_mean_var, weighted_sum


class Beta(Family):
    name = "beta"
    title = "Beta with shapes alpha and beta on (0, 1)"
    support = Support(lower=0.0, upper=1.0)
    params = (
        Parameter("alpha", POSITIVE, "shape alpha (pull towards 1)"),
        Parameter("beta", POSITIVE, "shape beta (pull towards 0)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Method of moments: alpha + beta = m (1 - m) / v - 1, split in the ratio m : 1 - m.
        # Data inside (0, 1) have v < m (1 - m) unless they are all equal.
        mean, var = weighted_mean_var(x, w)
        total = mean * (1.0 - mean) / var - 1.0 if var > 0 else 0.0
        if total <= 0:
            return {"alpha": 1.0, "beta": 1.0}
        return {"alpha": mean * total, "beta": (1.0 - mean) * total}

    @staticmethod
    def _log_beta_function(alpha: tf.Tensor, beta: tf.Tensor) -> tf.Tensor:
        return tf.lgamma(alpha) + tf.lgamma(beta) - tf.lgamma(alpha + beta)

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        alpha, beta = p["alpha"], p["beta"]
        return (
            (alpha - 1.0) * tf.log(x)
            + (beta - 1.0) * tf.log1p(-x)
            - self._log_beta_function(alpha, beta)
        )

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return _log_either_side(p["alpha"], p["beta"], x, upper=False)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return _log_either_side(p["alpha"], p["beta"], x, upper=True)

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {
            "n": total_weight(x, w),
            "sum_log_x": weighted_sum(np.log(x), w),
            "sum_log1m_x": weighted_sum(np.log1p(np.negative(x)), w),
        }

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        alpha, beta = p["alpha"], p["beta"]
        return (
            (alpha - 1.0) * s["sum_log_x"]
            + (beta - 1.0) * s["sum_log1m_x"]
            - s["n"] * self._log_beta_function(alpha, beta)
        )

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        log_x = np.sum(np.log(block), axis=-1)
        return {
            "n": np.full(np.shape(log_x), float(np.shape(block)[-1])),
            "sum_log_x": log_x,
            "sum_log1m_x": np.sum(np.log1p(np.negative(block)), axis=-1),
        }

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.beta(params["alpha"], params["beta"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.beta(a=params["alpha"], b=params["beta"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        a, b, _, _ = stats.beta.fit(x, floc=0, fscale=1)
        return {"alpha": float(a), "beta": float(b)}


def _log_either_side(alpha: tf.Tensor, beta: tf.Tensor, x: tf.Tensor, upper: bool) -> tf.Tensor:
    """log I_x(alpha, beta), or log(1 - I_x) when ``upper``, both accurate in both tails.

    Each side is the log of an incomplete beta function: I_x(alpha, beta) directly, or
    I_{1-x}(beta, alpha) for the other side. Forming 1 - x loses the digits of a small x, so
    where the wanted side is the larger one (above 1/2) it is log1p of minus the other side at
    the exact x instead. The branch not taken reads x = 1/2, so it stays finite and no NaN
    reaches the gradients.
    """
    below = tf.betainc(alpha, beta, x) < 0.5  # the lower side is the smaller one
    small_side = tf.logical_not(below) if upper else below
    x_small = tf.where(small_side, x, 0.5)
    x_large = tf.where(small_side, 0.5, x)
    if upper:
        direct = tf.log_betainc(beta, alpha, 1.0 - x_small)
        complement = tf.log1p(-tf.betainc(alpha, beta, x_large))
    else:
        direct = tf.log_betainc(alpha, beta, x_small)
        complement = tf.log1p(-tf.betainc(beta, alpha, 1.0 - x_large))
    return tf.where(small_side, direct, complement)
