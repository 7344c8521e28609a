"""The threshold (three-parameter) lognormal: log(x - threshold) ~ N(mu, sigma²), for positive
data with a lower bound that is not 0 (scipy's ``lognorm`` with loc free). How the threshold is
estimated, and when the fit is flagged, is in ``gaussfit.distributions.threshold``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gaussfit.distributions.base import Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.lognormal import LogNormal
from gaussfit.distributions.threshold import THRESHOLD, ThresholdFamily
from gaussfit.distributions.weighted import total_weight, weighted_mean_var, weighted_sum

_HALF_LOG_TWO_PI_E = 0.5 * (math.log(2.0 * math.pi) + 1.0)


class LogNormal3(ThresholdFamily):
    name = "lognormal3"
    aliases = ("lognorm3",)
    title = "Threshold lognormal: log(x - threshold) ~ N(mu, sigma^2)"
    base = LogNormal
    params = (
        Parameter("mu", REAL, "mean of log(x - threshold)"),
        Parameter("sigma", POSITIVE, "standard deviation of log(x - threshold)"),
        THRESHOLD,
    )

    def profile(self, y: np.ndarray, w: np.ndarray | None) -> tuple[dict[str, float], float]:
        # For a given threshold the MLE is the normal's on log y, in closed form.
        log_y = np.log(y)
        mean, var = weighted_mean_var(log_y, w)
        n = total_weight(y, w)
        if not var > 0:
            return {"mu": mean, "sigma": 1.0}, -math.inf
        loglik = -weighted_sum(log_y, w) - n * (0.5 * math.log(var) + _HALF_LOG_TWO_PI_E)
        return {"mu": mean, "sigma": math.sqrt(var)}, loglik

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.lognorm(s=params["sigma"], loc=params["threshold"], scale=np.exp(params["mu"]))

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        s, loc, scale = stats.lognorm.fit(x)
        return {"mu": math.log(scale), "sigma": float(s), "threshold": float(loc)}
