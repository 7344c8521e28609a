"""The threshold (three-parameter) gamma, also Pearson type III: x - threshold is gamma with
shape k and scale theta (scipy's ``gamma`` with loc free; the law of annual floods in
hydrology). How the threshold is estimated, and when the fit is flagged, is in
``gaussfit.distributions.threshold``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gaussfit.distributions.base import Parameter
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.gamma import Gamma
from gaussfit.distributions.threshold import THRESHOLD, ThresholdFamily
from gaussfit.distributions.weighted import total_weight, weighted_mean

_NEWTON_STEPS = 60


class Gamma3(ThresholdFamily):
    name = "gamma3"
    aliases = ("pearson3",)
    title = "Threshold gamma (Pearson III) with shape k, scale theta and threshold"
    base = Gamma
    shape_name = "shape"
    params = (
        Parameter("shape", POSITIVE, "shape k"),
        Parameter("scale", POSITIVE, "scale theta"),
        THRESHOLD,
    )

    def profile(self, y: np.ndarray, w: np.ndarray | None) -> tuple[dict[str, float], float]:
        # For a given threshold the shape solves log k - digamma(k) = s, s = log mean y -
        # mean log y (Newton on log k from Minka's approximation), and theta = mean y / k.
        from scipy.special import digamma, gammaln, polygamma

        mean = weighted_mean(y, w)
        mean_log = weighted_mean(np.log(y), w)
        s = math.log(mean) - mean_log
        if not s > 0:
            return {"shape": 1.0, "scale": mean}, -math.inf
        k = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
        for _ in range(_NEWTON_STEPS):
            g = math.log(k) - float(digamma(k)) - s
            slope = 1.0 - k * float(polygamma(1, k))  # dg / d(log k), negative
            step = g / slope
            k *= math.exp(max(min(-step, 2.0), -2.0))
            if abs(step) < 1e-13:
                break
        scale = mean / k
        n = total_weight(y, w)
        loglik = n * ((k - 1.0) * mean_log - k - float(gammaln(k)) - k * math.log(scale))
        return {"shape": k, "scale": scale}, loglik

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.gamma(a=params["shape"], loc=params["threshold"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        a, loc, scale = stats.gamma.fit(x)
        return {"shape": float(a), "scale": float(scale), "threshold": float(loc)}
