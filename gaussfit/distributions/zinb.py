"""The zero-inflated negative binomial family: over-dispersed counts with extra zeros.

With probability pi a structural zero, else a negative binomial count in scipy's nbinom
parameters (size n, success probability p): P(0) = pi + (1 - pi) p^n, P(k) = (1 - pi) NB(k)
for k >= 1. scipy has no such law: the references are a hand-written pmf (see the tests).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, UNIT_INTERVAL
from gaussfit.distributions.count_tails import NEG_INF, log_add, log_cdf_near_one, outside_counts
from gaussfit.distributions.weighted import weighted_mean, weighted_mean_var

_LEAST_PI = 0.01
_MOST_PI = 0.9
# Over-dispersion assumed at least, as the negative binomial's start does.
_MIN_DISPERSION = 1.1


class ZeroInflatedNegativeBinomial(Family):
    name = "zinb"
    aliases = ("zinbinom",)
    title = "Zero-inflated negative binomial: extra zeros with probability pi, else nbinom(n, p)"
    discrete = True
    support = Support(lower=0.0, lower_open=False, integer=True)
    params = (
        Parameter("pi", UNIT_INTERVAL, "probability of an extra (structural) zero"),
        Parameter("n", POSITIVE, "size of the counting part (number of successes)"),
        Parameter("p", UNIT_INTERVAL, "success probability of the counting part"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # A negative binomial by moments says how many zeros it explains; the excess is pi,
        # and the counting part gets the moments left once pi's zeros are taken out.
        mean, var = weighted_mean_var(x, w)
        if mean <= 0:
            return {"pi": _MOST_PI, "n": 1.0, "p": 0.5}
        var = max(var, _MIN_DISPERSION * mean)
        p, n = mean / var, mean * mean / (var - mean)
        zeros = weighted_mean(np.equal(x, 0.0).astype(np.float64), w)
        explained = p**n
        pi = (zeros - explained) / (1.0 - explained) if explained < 1.0 else 0.0
        pi = min(max(pi, _LEAST_PI), _MOST_PI)
        part_mean = mean / (1.0 - pi)
        part_var = max((var + mean * mean) / (1.0 - pi) - part_mean**2, 0.0)
        part_var = max(part_var, _MIN_DISPERSION * part_mean)
        return {
            "pi": pi,
            "n": part_mean * part_mean / (part_var - part_mean),
            "p": part_mean / part_var,
        }

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        pi, n, prob = p["pi"], p["n"], p["p"]
        coefficient = tf.lgamma(x + n) - tf.lgamma(n) - tf.lgamma(x + 1.0)
        counted = tf.log1p(-pi) + coefficient + n * tf.log(prob) + x * tf.log1p(-prob)
        zero = log_add(tf.log(pi), tf.log1p(-pi) + n * tf.log(prob)) * tf.ones_like(x)
        return tf.where(tf.equal(x, 0.0), zero, counted)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # F(k) = pi + (1 - pi) I_p(n, k + 1) for the count k = floor(x) >= 0.
        k = tf.floor(x)
        inside = tf.greater_equal(k, 0.0)
        safe = tf.where(inside, k, tf.zeros_like(k))
        counted = tf.log1p(-p["pi"]) + tf.log_betainc(p["n"], safe + 1.0, p["p"])
        value = log_cdf_near_one(
            log_add(tf.log(p["pi"]) * tf.ones_like(k), counted), self.log_sf(safe, p)
        )
        return outside_counts(k, inside, value, below=NEG_INF, above=0.0)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # S(k) = (1 - pi) I_{1-p}(k + 1, n).
        k = tf.floor(x)
        inside = tf.greater_equal(k, 0.0)
        safe = tf.where(inside, k, tf.zeros_like(k))
        value = tf.log1p(-p["pi"]) + tf.log_betainc(safe + 1.0, p["n"], 1.0 - p["p"])
        return outside_counts(k, inside, value, below=0.0, above=NEG_INF)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        counts = rng.negative_binomial(params["n"], params["p"], size=n)
        extra = rng.uniform(size=n) < params["pi"]
        return np.where(extra, 0, counts).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from gaussfit.distributions.zero_inflated_laws import ZINB_LAW

        return ZINB_LAW(params["pi"], params["n"], params["p"])
