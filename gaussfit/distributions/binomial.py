"""The binomial family: successes in n independent trials, each succeeding with probability p.

n is *given* (``--fix n=20``; see ``gaussfit.distributions.trials``): the family is bound to it
before a fit, and only p is estimated, in closed form (p = mean / n). P(X = k) =
C(n, k) p^k (1 - p)^(n - k) for k = 0..n, scipy's ``binom(n, p)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import UNIT_INTERVAL
from gaussfit.distributions.count_references import maximise
from gaussfit.distributions.count_tails import NEG_INF, outside_counts
from gaussfit.distributions.trials import TRIALS, GivenTrials
from gaussfit.distributions.weighted import total_weight, weighted_mean, weighted_sum

# A start strictly inside (0, 1) when every count is 0 or every count is n (the MLE is then
# on the boundary).
_EDGE = 1e-3


class Binomial(GivenTrials, Family):
    name = "binomial"
    aliases = ("binom",)
    title = "Binomial successes in n given trials with success probability p"
    discrete = True
    params = (TRIALS, Parameter("p", UNIT_INTERVAL, "success probability (mean / n)"))

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        p = weighted_mean(x, w) / self._n()
        return {"n": float(self._n()), "p": min(max(p, _EDGE), 1.0 - _EDGE)}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        n, prob = p["n"], p["p"]
        choose = tf.lgamma(n + 1.0) - tf.lgamma(x + 1.0) - tf.lgamma(n - x + 1.0)
        return choose + x * tf.log(prob) + (n - x) * tf.log1p(-prob)

    def _tail(self, x: tf.Tensor, p: dict[str, tf.Tensor], upper: bool) -> tf.Tensor:
        """log P(X <= k) = log I_{1-p}(n - k, k + 1), log P(X > k) = log I_p(k + 1, n - k)
        for the count k = floor(x) in 0..n-1 (each from its own side, so the far tails keep
        their digits)."""
        n, prob = p["n"], p["p"]
        k = tf.floor(x)
        inside = tf.logical_and(tf.greater_equal(k, 0.0), tf.less(k, n))
        safe = tf.where(inside, k, tf.zeros_like(k))
        if upper:
            value = tf.log_betainc(safe + 1.0, n - safe, prob)
            return outside_counts(k, inside, value, below=0.0, above=NEG_INF)
        value = tf.log_betainc(n - safe, safe + 1.0, 1.0 - prob)
        return outside_counts(k, inside, value, below=NEG_INF, above=0.0)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._tail(x, p, upper=False)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._tail(x, p, upper=True)

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        from scipy.special import gammaln

        n = self._n()
        return {
            "n": total_weight(x, w),
            "sum_x": weighted_sum(x, w),
            "sum_failures": weighted_sum(np.subtract(n, x), w),
            "sum_log_choose": weighted_sum(
                gammaln(n + 1.0) - gammaln(np.add(x, 1.0)) - gammaln(np.subtract(n + 1.0, x)), w
            ),
        }

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        prob = p["p"]
        return s["sum_log_choose"] + s["sum_x"] * tf.log(prob) + s["sum_failures"] * tf.log1p(-prob)

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The score sum x / p - sum (n - x) / (1 - p) = 0 gives p = mean / n.
        n = self._n()
        return {"n": float(n), "p": weighted_mean(x, w) / n}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.binomial(int(params["n"]), params["p"], size=n).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        # n as whole numbers, one or one per row (the bootstrap evaluates rows of parameters)
        return stats.binom(np.asarray(params["n"]).astype(np.int64), params["p"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        # scipy has no binomial fit of its own (stats.fit's search is slow): maximise its
        # logpmf over p with n held.
        from scipy import stats

        n = self._n()
        (p,) = maximise(lambda k, t: stats.binom.logpmf(k, n, t[0]), x, [0.5], [(0.0, 1.0)])
        return {"n": float(n), "p": float(p)}
