"""The normal (Gaussian) family N(mu, sigma²): the lab's model."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.weighted import row_mean_var, weighted_mean_var

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
_SQRT1_2 = math.sqrt(0.5)
# Up to this many values the CDF is math.erfc value by value: cheaper than importing
# scipy.special (a third of a second), which costs more than a small fit.
_PER_VALUE_LIMIT = 100_000


class Normal(Family):
    name = "normal"
    aliases = ("gaussian", "norm")
    title = "Normal N(mu, sigma^2)"
    params = (
        Parameter("mu", REAL, "mean"),
        Parameter("sigma", POSITIVE, "standard deviation"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        mean, var = weighted_mean_var(x, w)
        return {"mu": mean, "sigma": math.sqrt(var) if var > 0 else 1.0}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # Written as the lab writes it: -0.5 log(2 pi sigma^2) - (x - mu)^2 / (2 sigma^2).
        sigma_2 = p["sigma"] ** 2.0
        return -0.5 * tf.log(2.0 * np.pi * sigma_2) - (x - p["mu"]) ** 2.0 / (2.0 * sigma_2)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # log Φ(z) by log_ndtr, accurate in both tails (log Φ(-30) = -454.3, no underflow).
        return tf.log_ndtr((x - p["mu"]) / p["sigma"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # 1 - Φ(z) = Φ(-z): the upper tail is the lower tail of the reflection, computed
        # directly rather than as a complement.
        return tf.log_ndtr((p["mu"] - x) / p["sigma"])

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Mean and variance from two passes (never the one-pass sum of squares), so data near
        # 1e7 with spread 0.1 keeps its digits.
        mean, var = weighted_mean_var(x, w)
        total = float(len(x) if w is None else np.sum(w))
        return {"n": total, "mean": mean, "var": var}

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        # sum (x - mu)^2 = n * (var + (mean - mu)^2)
        sigma, n = p["sigma"], s["n"]
        spread = s["var"] + tf.square(s["mean"] - p["mu"])
        return -n * (_HALF_LOG_TWO_PI + tf.log(sigma)) - n * spread / (2.0 * tf.square(sigma))

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        mean, var = weighted_mean_var(x, w)
        return {"mu": mean, "sigma": math.sqrt(var)}

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        mean, var = row_mean_var(block)
        return {"n": np.full(np.shape(mean), float(np.shape(block)[-1])), "mean": mean, "var": var}

    def mle_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        mean, var = row_mean_var(block)
        return {"mu": mean, "sigma": np.sqrt(var)}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.normal(params["mu"], params["sigma"], size=n)

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """Φ((x - mu) / sigma) as 0.5 erfc(-z / sqrt 2), as scipy's ndtr computes it: by
        scipy's ndtr once scipy.special is loaded or the values are many (called directly,
        without a frozen distribution's argument checks), else value by value."""
        z = np.divide(np.subtract(x, params["mu"]), params["sigma"])
        if np.size(z) > _PER_VALUE_LIMIT or "scipy.special" in sys.modules:
            from scipy.special import ndtr

            return ndtr(z)
        flat = [0.5 * math.erfc(-_SQRT1_2 * v) for v in np.ravel(z).tolist()]
        return np.reshape(np.array(flat, dtype=float), np.shape(z))

    def log_pdf_numpy(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """The log-density written out in numpy (no scipy import for the closed form's
        log-likelihood)."""
        z = np.divide(np.subtract(x, params["mu"]), params["sigma"])
        return -0.5 * np.square(z) - np.log(params["sigma"]) - _HALF_LOG_TWO_PI

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.norm(loc=params["mu"], scale=params["sigma"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.norm.fit(x)
        return {"mu": float(loc), "sigma": float(scale)}
