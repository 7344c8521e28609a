"""The zero-inflated Poisson family: counts with more zeros than a Poisson allows.

With probability pi an observation is a structural zero (a unit that cannot produce counts),
else a Poisson count with rate lambda: P(0) = pi + (1 - pi) e^-lambda, P(k) = (1 - pi)
Pois(k; lambda) for k >= 1 (Lambert 1992). scipy has no such law: the references are the
score equations and a hand-written pmf (see the tests).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, UNIT_INTERVAL
from gaussfit.distributions.count_tails import NEG_INF, log_add, log_cdf_near_one, outside_counts
from gaussfit.distributions.weighted import total_weight, weighted_mean_var, weighted_sum

# Where the data show no excess zeros the MLE of pi is 0 (the boundary); start a little inside.
_LEAST_PI = 0.01
_MOST_PI = 0.99


class ZeroInflatedPoisson(Family):
    name = "zip"
    aliases = ("zipoisson",)
    title = "Zero-inflated Poisson: extra zeros with probability pi, else Poisson(rate)"
    discrete = True
    support = Support(lower=0.0, lower_open=False, integer=True)
    params = (
        Parameter("pi", UNIT_INTERVAL, "probability of an extra (structural) zero"),
        Parameter("rate", POSITIVE, "Poisson mean of the counting part"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The exact MLE where the score equations have an interior root (a Newton fit then
        # stops at once, where a flat ridge between pi and the rate would stop it short by
        # 1e-7); else the moments: mean = (1 - pi) rate, var / mean = 1 + pi rate.
        exact = self.closed_form(x, w)
        if exact is not None and _LEAST_PI / 100 <= exact["pi"] <= _MOST_PI:
            return exact
        mean, var = weighted_mean_var(x, w)
        if mean <= 0:  # all zeros: pi -> 1 on the boundary
            return {"pi": _MOST_PI, "rate": 1.0}
        rate = mean + max(var / mean - 1.0, 0.0)
        pi = min(max(1.0 - mean / rate, _LEAST_PI), _MOST_PI)
        return {"pi": pi, "rate": mean / (1.0 - pi)}

    def _log_zero(self, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log_add(tf.log(p["pi"]), tf.log1p(-p["pi"]) - p["rate"])

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        counted = tf.log1p(-p["pi"]) + x * tf.log(p["rate"]) - p["rate"] - tf.lgamma(x + 1.0)
        zero = self._log_zero(p) * tf.ones_like(x)
        return tf.where(tf.equal(x, 0.0), zero, counted)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # F(k) = pi + (1 - pi) Q(k + 1, rate) for the count k = floor(x) >= 0.
        k = tf.floor(x)
        inside = tf.greater_equal(k, 0.0)
        safe = tf.where(inside, k, tf.zeros_like(k))
        counted = tf.log1p(-p["pi"]) + tf.log_igammac(safe + 1.0, p["rate"])
        value = log_cdf_near_one(
            log_add(tf.log(p["pi"]) * tf.ones_like(k), counted), self.log_sf(safe, p)
        )
        return outside_counts(k, inside, value, below=NEG_INF, above=0.0)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # S(k) = (1 - pi) P(k + 1, rate): only the counting part reaches above k >= 0.
        k = tf.floor(x)
        inside = tf.greater_equal(k, 0.0)
        safe = tf.where(inside, k, tf.zeros_like(k))
        value = tf.log1p(-p["pi"]) + tf.log_igamma(safe + 1.0, p["rate"])
        return outside_counts(k, inside, value, below=0.0, above=NEG_INF)

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        from scipy.special import gammaln

        zero = np.equal(x, 0.0)
        zeros = weighted_sum(zero.astype(np.float64), w)
        return {
            "n": total_weight(x, w),
            "sum_zeros": zeros,
            "sum_x": weighted_sum(x, w),
            "sum_lgamma": weighted_sum(gammaln(np.add(x, 1.0)), w),
        }

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        positives = s["n"] - s["sum_zeros"]
        counted = positives * (tf.log1p(-p["pi"]) - p["rate"])
        counted = counted + s["sum_x"] * tf.log(p["rate"]) - s["sum_lgamma"]
        return s["sum_zeros"] * self._log_zero(p) + counted

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        """The MLE from the score equations (Lambert 1992): the rate is the zero-truncated
        Poisson MLE of the positive counts, rate / (1 - e^-rate) = their mean (one increasing
        function, solved by bracketing), and pi makes P(0) the observed share of zeros. None
        when the data hold no more zeros than that Poisson explains (pi's MLE is then 0, on
        the boundary) or no positive count."""
        from scipy import optimize

        zero = np.equal(x, 0.0).astype(np.float64)
        total = total_weight(x, w)
        zeros = weighted_sum(zero, w)
        if zeros >= total or zeros <= 0:
            return None
        mean = weighted_sum(x, w) / (total - zeros)  # of the positive counts
        if mean <= 1.0:
            return None

        def excess(rate: float) -> float:  # log(rate / (1 - e^-rate)) - log(mean)
            return math.log(rate) - math.log(-math.expm1(-rate)) - math.log(mean)

        # rate / (1 - e^-rate) lies between rate and 1 + rate: the root is in [mean - 1, mean].
        rate = optimize.brentq(excess, max(mean - 1.0, 1e-300), mean, xtol=1e-300, rtol=1e-15)
        # P(0) = pi + (1 - pi) e^-rate = zeros / total, i.e. (1 - pi)(1 - e^-rate) = the
        # share of positive counts.
        pi = 1.0 - (total - zeros) / total / -math.expm1(-rate)
        return {"pi": pi, "rate": rate} if pi > 0.0 else None

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        counts = rng.poisson(params["rate"], size=n)
        extra = rng.uniform(size=n) < params["pi"]
        return np.where(extra, 0, counts).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from gaussfit.distributions.zero_inflated_laws import ZIP_LAW

        return ZIP_LAW(params["pi"], params["rate"])
