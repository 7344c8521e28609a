"""The threshold (three-parameter) Weibull: x - threshold is Weibull with shape k and scale
lambda, for lifetimes that cannot end before a minimum (scipy's ``weibull_min`` with loc free).
How the threshold is estimated, and when the fit is flagged, is in
``gaussfit.distributions.threshold``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gaussfit.distributions.base import Parameter
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.threshold import THRESHOLD, ThresholdFamily
from gaussfit.distributions.weibull import Weibull
from gaussfit.distributions.weighted import total_weight, weighted_mean, weighted_mean_var

_NEWTON_STEPS = 60


class Weibull3(ThresholdFamily):
    name = "weibull3"
    aliases = ("weibull_min3",)
    title = "Threshold Weibull with shape k, scale lambda and threshold"
    base = Weibull
    shape_name = "shape"
    params = (
        Parameter("shape", POSITIVE, "shape k"),
        Parameter("scale", POSITIVE, "scale lambda"),
        THRESHOLD,
    )

    def __init__(self) -> None:
        super().__init__()
        self._warm_shape: float | None = None

    def profile(self, y: np.ndarray, w: np.ndarray | None) -> tuple[dict[str, float], float]:
        # For a given threshold the shape solves g(k) = sum y^k log y / sum y^k - 1/k -
        # mean log y = 0 (g increases with k), then lambda^k = mean y^k; Newton on log k from
        # the log-Gumbel moment start.
        log_y = np.log(y)
        mean_log, var_log = weighted_mean_var(log_y, w)
        if not var_log > 0:
            return {"shape": 1.0, "scale": float(np.exp(mean_log))}, -math.inf
        centred = log_y - float(np.max(log_y))  # y^k / max(y)^k: no overflow
        # Consecutive thresholds of the search have nearby shapes: start from the last one.
        k = self._warm_shape or math.pi / math.sqrt(6.0 * var_log)
        for _ in range(_NEWTON_STEPS):
            power = np.exp(k * centred)
            total = weighted_mean(power, w)
            m1 = weighted_mean(power * log_y, w) / total
            m2 = weighted_mean(power * log_y * log_y, w) / total
            g = m1 - 1.0 / k - mean_log
            slope = k * (m2 - m1 * m1 + 1.0 / (k * k))  # dg / d(log k)
            step = g / slope
            k *= math.exp(max(min(-step, 2.0), -2.0))
            if abs(step) < 1e-13:
                break
        self._warm_shape = k if math.isfinite(k) and k > 0 else None
        power = np.exp(k * centred)
        log_scale = (math.log(weighted_mean(power, w)) / k) + float(np.max(log_y))
        n = total_weight(y, w)
        loglik = n * (math.log(k) - k * log_scale + (k - 1.0) * mean_log - 1.0)
        return {"shape": k, "scale": math.exp(log_scale)}, loglik

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.weibull_min(c=params["shape"], loc=params["threshold"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, loc, scale = stats.weibull_min.fit(x)
        return {"shape": float(c), "scale": float(scale), "threshold": float(loc)}
