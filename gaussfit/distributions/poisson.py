"""The Poisson family for counts: one rate, equal to the mean and to the variance."""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.weighted import total_weight, weighted_mean, weighted_sum


class Poisson(Family):
    name = "poisson"
    title = "Poisson counts with rate lambda"
    discrete = True
    support = Support(lower=0.0, lower_open=False, integer=True)
    params = (Parameter("rate", POSITIVE, "mean count lambda"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # All-zero counts put the MLE on the boundary (rate 0); start inside the domain.
        mean = weighted_mean(x, w)
        return {"rate": mean if mean > 0 else 1.0}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return x * tf.log(p["rate"]) - p["rate"] - tf.lgamma(x + 1.0)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # P(X <= k) = Q(k + 1, lambda) for the count k = floor(x).
        return tf.log_igammac(tf.floor(x) + 1.0, p["rate"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # P(X > k) = P(k + 1, lambda).
        return tf.log_igamma(tf.floor(x) + 1.0, p["rate"])

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        from scipy.special import gammaln

        return {
            "n": total_weight(x, w),
            "sum_x": weighted_sum(x, w),
            "sum_lgamma": weighted_sum(gammaln(np.add(x, 1.0)), w),
        }

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        return s["sum_x"] * tf.log(p["rate"]) - s["n"] * p["rate"] - s["sum_lgamma"]

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"rate": weighted_mean(x, w)}

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        from scipy.special import gammaln

        total = np.sum(block, axis=-1)
        return {
            "n": np.full(np.shape(total), float(np.shape(block)[-1])),
            "sum_x": np.asarray(total, dtype=np.float64),
            "sum_lgamma": np.sum(gammaln(np.add(block, 1.0)), axis=-1),
        }

    def mle_rows(self, block: np.ndarray) -> dict[str, np.ndarray]:
        return {"rate": np.mean(block, axis=-1, dtype=np.float64)}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.poisson(params["rate"], size=n).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.poisson(mu=params["rate"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        # scipy has no Poisson fit; its MLE is the mean, as ours.
        return {"rate": float(np.mean(x))}
