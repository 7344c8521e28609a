"""The logarithmic series family (Fisher's log-series, species abundances): counts k >= 1 with
P(X = k) = -p^k / (k log(1 - p)), scipy's ``logser(p)``.

Its score equation is its mean equation, mean = -p / ((1 - p) log(1 - p)), so the MLE is the
moment estimate; with u = -log(1 - p) it reads expm1(u) / u = mean, one increasing function
of u solved by bracketing. A sample of ones alone (mean 1) puts the MLE on the boundary p = 0.

No log_cdf / log_sf graph: its tail sums (a Lerch transcendent) have no closed form in the
engine's incomplete gamma and beta functions, so it is not offered for censored counts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import UNIT_INTERVAL
from gaussfit.distributions.weighted import (
    count_sum_and_log_sum,
    weighted_mean,
)

# A start inside (0, 1) when the mean equation has no interior root (every count is 1).
_SMALL_P = 0.01


def _p_of_mean(mean: float) -> float | None:
    """The p whose log-series mean is ``mean`` (> 1), or None when mean <= 1."""
    from scipy import optimize

    if not mean > 1.0 or not math.isfinite(mean):
        return None

    def excess(u: float) -> float:  # log(expm1(u) / u) - log(mean), without overflow
        return u + math.log(-math.expm1(-u)) - math.log(u) - math.log(mean)

    # 1 + u/2 <= expm1(u)/u <= e^u: the root lies between log(mean) and 2 (mean - 1).
    low, high = math.log(mean), 2.0 * (mean - 1.0)
    if low == high:
        return -math.expm1(-low)
    u = optimize.brentq(excess, low, high, xtol=1e-300, rtol=1e-15)
    return -math.expm1(-u)


class LogSeries(Family):
    name = "logser"
    aliases = ("logarithmic", "log_series")
    title = "Logarithmic series counts k >= 1 with parameter p"
    discrete = True
    support = Support(lower=1.0, lower_open=False, integer=True)
    params = (Parameter("p", UNIT_INTERVAL, "series parameter p"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        p = _p_of_mean(weighted_mean(x, w))
        return {"p": _SMALL_P if p is None else min(p, 1.0 - 1e-9)}

    def _log_normaliser(self, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log(-tf.log1p(-p["p"]))

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return x * tf.log(p["p"]) - tf.log(x) - self._log_normaliser(p)

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return count_sum_and_log_sum(x, w)

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        return s["sum_x"] * tf.log(p["p"]) - s["sum_log_x"] - s["n"] * self._log_normaliser(p)

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        p = _p_of_mean(weighted_mean(x, w))
        return None if p is None else {"p": p}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.logseries(params["p"], size=n).astype(np.float64)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.logser(params["p"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        # scipy has no logser fit: maximise its logpmf over p.
        from scipy import stats

        from gaussfit.distributions.count_references import maximise

        (p,) = maximise(lambda k, t: stats.logser.logpmf(k, t[0]), x, [0.5], [(0.0, 1.0)])
        return {"p": float(p)}
