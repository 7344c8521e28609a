"""The negative binomial family for over-dispersed counts (variance above the mean).

Parameterised as scipy's nbinom: failures before the n-th success with success probability p,
n real and positive; mean n (1 - p) / p, variance mean / p.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, UNIT_INTERVAL
from gaussfit.distributions.weighted import weighted_mean_var

# When the sample shows no over-dispersion the MLE lies at n -> infinity (the Poisson limit);
# start as if the variance were this much above the mean instead.
_MIN_DISPERSION = 1.1


class NegativeBinomial(Family):
    name = "negative_binomial"
    aliases = ("nbinom",)
    title = "Negative binomial counts with size n and probability p"
    discrete = True
    support = Support(lower=0.0, lower_open=False, integer=True)
    params = (
        Parameter("n", POSITIVE, "size (number of successes)"),
        Parameter("p", UNIT_INTERVAL, "success probability"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Method of moments: p = mean / var, n = mean^2 / (var - mean).
        mean, var = weighted_mean_var(x, w)
        if mean <= 0:  # all zeros: the MLE is on the boundary p = 1
            return {"n": 1.0, "p": 0.5}
        var = max(var, _MIN_DISPERSION * mean)
        return {"n": mean * mean / (var - mean), "p": mean / var}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        n, prob = p["n"], p["p"]
        coefficient = tf.lgamma(x + n) - tf.lgamma(n) - tf.lgamma(x + 1.0)
        return coefficient + n * tf.log(prob) + x * tf.log1p(-prob)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # P(X <= k) = I_p(n, k + 1) for the count k = floor(x).
        return tf.log_betainc(p["n"], tf.floor(x) + 1.0, p["p"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # P(X > k) = I_{1-p}(k + 1, n): far right it underflows, its log does not.
        return tf.log_betainc(tf.floor(x) + 1.0, p["n"], 1.0 - p["p"])

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.negative_binomial(params["n"], params["p"], size=n).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.nbinom(params["n"], params["p"])
