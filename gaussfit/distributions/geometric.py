"""The geometric family for counts: the number of failures before the first success, each
trial succeeding with probability p. P(X = k) = p (1 - p)^k for k = 0, 1, ...; scipy's ``geom``
counts trials instead (support from 1), so ours is ``geom(p, loc=-1)``."""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import UNIT_INTERVAL
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import total_weight, weighted_mean, weighted_sum


class Geometric(Family):
    name = "geometric"
    aliases = ("geom",)
    title = "Geometric counts (failures before the first success) with success probability p"
    discrete = True
    support = Support(lower=0.0, lower_open=False, integer=True)
    params = (Parameter("p", UNIT_INTERVAL, "success probability p (1 / (1 + mean))"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # All-zero counts put the MLE on the boundary p = 1; start inside the domain.
        return {"p": min(self.closed_form(x, w)["p"], 0.99)}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log(p["p"]) + x * tf.log1p(-p["p"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # P(X > k) = (1 - p)^(k + 1) for the count k = floor(x).
        return (tf.floor(x) + 1.0) * tf.log1p(-p["p"])

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_sf(x, p)))

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"n": total_weight(x, w), "sum_x": weighted_sum(x, w)}

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        return s["n"] * tf.log(p["p"]) + s["sum_x"] * tf.log1p(-p["p"])

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The score n/p - sum x/(1 - p) = 0 gives p = 1/(1 + mean).
        return {"p": 1.0 / (1.0 + weighted_mean(x, w))}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return (rng.geometric(params["p"], size=n) - 1).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.geom(params["p"], loc=-1)
