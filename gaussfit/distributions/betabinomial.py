"""The beta-binomial family: binomial counts out of n given trials whose success probability
varies from unit to unit as a Beta(a, b) (over-dispersed proportions). P(X = k) =
C(n, k) B(k + a, n - k + b) / B(a, b) for k = 0..n, scipy's ``betabinom(n, a, b)``.

n is given (``--fix n=20``; see ``gaussfit.distributions.trials``), a and b are estimated.
Its CDF has no closed form in the engine's functions (it is a 3F2 hypergeometric), but the
support is finite: log F and log S are log-sum-exps of the masses over the n + 1 counts, each
side summed from its own terms so that neither loses the digits of a small tail. They cost
(censored values) x (n + 1) terms: fine for n in the thousands.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.count_tails import NEG_INF, constant_like, outside_counts
from gaussfit.distributions.tails import log1mexp, select
from gaussfit.distributions.trials import TRIALS, GivenTrials
from gaussfit.distributions.weighted import weighted_mean_var

# Starting intra-class correlation rho = 1 / (a + b + 1) when the data show none (the MLE then
# runs off to the binomial limit a + b -> infinity) or too much.
_LEAST_RHO = 1e-3
_MOST_RHO = 0.99
_EDGE = 1e-3
# Up to this many trials a fit feeds the table of how often each count occurs (n + 1 numbers)
# instead of the data.
_MOST_COUNTS = 1000


def _lbeta(a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    return tf.lgamma(a) + tf.lgamma(b) - tf.lgamma(a + b)


class BetaBinomial(GivenTrials, Family):
    name = "betabinom"
    aliases = ("beta_binomial",)
    title = "Beta-binomial successes in n given trials, success probability ~ Beta(a, b)"
    discrete = True
    params = (
        TRIALS,
        Parameter("a", POSITIVE, "first shape of the success probability's beta law"),
        Parameter("b", POSITIVE, "second shape of the success probability's beta law"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Moments: mean = n mu, var = n mu (1 - mu) (1 + (n - 1) rho), rho = 1 / (a + b + 1).
        n = self._n()
        mean, var = weighted_mean_var(x, w)
        mu = min(max(mean / n, _EDGE), 1.0 - _EDGE)
        rho = (var / (n * mu * (1.0 - mu)) - 1.0) / (n - 1) if n > 1 else _LEAST_RHO
        rho = min(max(rho, _LEAST_RHO), _MOST_RHO) if math.isfinite(rho) else _LEAST_RHO
        total = 1.0 / rho - 1.0
        return {"n": float(n), "a": mu * total, "b": (1.0 - mu) * total}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        n, a, b = p["n"], p["a"], p["b"]
        choose = tf.lgamma(n + 1.0) - tf.lgamma(x + 1.0) - tf.lgamma(n - x + 1.0)
        return choose + _lbeta(x + a, n - x + b) - _lbeta(a, b)

    def _sums(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, ...]:
        """log of the masses of the counts 0..k and of k+1..n for k = floor(x), each a
        log-sum-exp along a row of a (values) x (n + 1) mask; and where k is in 0..n-1."""
        n = self._n()
        grid = tf.constant(np.arange(n + 1, dtype=np.float64))
        log_mass = self.log_prob(grid, p)
        k = tf.floor(x)
        inside = tf.logical_and(tf.greater_equal(k, 0.0), tf.less(k, float(n)))
        safe = tf.expand_dims(tf.where(inside, k, tf.zeros_like(k)), 1)
        counts = tf.expand_dims(grid, 0) + tf.zeros_like(safe)  # (values, n + 1)
        masses = tf.expand_dims(log_mass, 0) + tf.zeros_like(counts)
        nothing = constant_like(NEG_INF, counts)
        below = tf.reduce_logsumexp(tf.where(tf.less_equal(counts, safe), masses, nothing), 1)
        above = tf.reduce_logsumexp(tf.where(tf.greater(counts, safe), masses, nothing), 1)
        return k, inside, below, above

    def _side(self, x: tf.Tensor, p: dict[str, tf.Tensor], upper: bool) -> tf.Tensor:
        """log F (or log S): its own sum while it is the smaller side, else log(1 - other)
        from the other side's sum, so that a value near 1 keeps the digits of its tiny
        complement (a sum of masses near 1 carries their rounding, 1e-14)."""
        k, inside, below, above = self._sums(x, p)
        own, other = (above, below) if upper else (below, above)
        from_other = tf.less(other, own)
        value = tf.where(from_other, log1mexp(-select(from_other, other, -1.0)), own)
        if upper:
            return outside_counts(k, inside, value, below=0.0, above=NEG_INF)
        return outside_counts(k, inside, value, below=NEG_INF, above=0.0)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._side(x, p, upper=False)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._side(x, p, upper=True)

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        """How often each count 0..n occurs (weighted): the log-likelihood is the sum of
        these times the log-masses, so a fit to 1e6 counts costs n + 1 terms an iteration.
        None above ``_MOST_COUNTS`` trials (one placeholder per count), which then pass over
        the data."""
        n = self._n()
        if n > _MOST_COUNTS:
            return None
        ks = np.asarray(x, dtype=np.int64)
        counts = np.bincount(ks, weights=None if w is None else np.asarray(w), minlength=n + 1)
        out = {"n": float(np.sum(counts))}
        out.update({f"sum_count_{k}": float(counts[k]) for k in range(n + 1)})
        return out

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        # Counts down the rows, one column per data set: one column for a fit, B for the
        # bootstrap's batched refits (statistics and parameters then hold B values each).
        n = self._n()
        counts = tf.reshape(tf.stack([s[f"sum_count_{k}"] for k in range(n + 1)]), [n + 1, -1])
        grid = tf.constant(np.arange(n + 1, dtype=np.float64).reshape(n + 1, 1))
        columns = {name: tf.reshape(value, [1, -1]) for name, value in p.items()}
        rows = tf.reduce_sum(counts * self.log_prob(grid, columns), axis=0)
        return tf.reduce_sum(rows) if not s["n"].shape.dims else rows

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        success = rng.beta(params["a"], params["b"], size=n)
        return rng.binomial(int(params["n"]), success).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        # n as whole numbers, one or one per row (the bootstrap evaluates rows of parameters)
        return stats.betabinom(np.asarray(params["n"]).astype(np.int64), params["a"], params["b"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        # scipy has no beta-binomial fit of its own (stats.fit's search is slow): maximise
        # its logpmf over log a, log b with n held, from our moment start.
        from scipy import stats

        from gaussfit.distributions.count_references import maximise

        n = self._n()
        start = self.initial(x, None)
        log_a, log_b = maximise(
            lambda k, t: stats.betabinom.logpmf(k, n, math.exp(t[0]), math.exp(t[1])),
            x,
            [math.log(start["a"]), math.log(start["b"])],
            [(-30.0, 30.0), (-30.0, 30.0)],
        )
        return {"n": float(n), "a": math.exp(log_a), "b": math.exp(log_b)}
