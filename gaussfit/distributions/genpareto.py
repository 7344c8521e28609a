"""The generalized Pareto family with scale and shape xi (threshold 0): the law of excesses
over a high threshold (peaks over threshold). S(x) = (1 + xi x/scale)^(-1/xi) for x >= 0, with
an upper end -scale/xi when xi < 0 and the exponential at xi = 0, reached continuously.

The threshold is the data's origin: subtract it before fitting (it is not estimated; scipy's
``genpareto`` with loc 0, c = xi).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.tails import log1mexp, log1p_ratio, zero_density
from gaussfit.distributions.weighted import weighted_mean_var


class GeneralizedPareto(Family):
    name = "genpareto"
    aliases = ("gpd",)
    title = "Generalized Pareto (excesses over 0) with scale and shape xi"
    support = Support(lower=0.0, lower_open=False)
    params = (
        Parameter("scale", POSITIVE, "scale"),
        Parameter("xi", REAL, "shape xi (> 0 heavy tail, < 0 an upper end at -scale/xi)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Moments (Hosking & Wallis 1987): xi = (1 - mean^2/var)/2, scale = mean (1 + mean^2/var)/2;
        # with an upper end, xi is raised until it lies beyond the largest value.
        mean, var = weighted_mean_var(x, w)
        if not (var > 0 and mean > 0):
            return {"scale": mean if mean > 0 else 1.0, "xi": 0.0}
        ratio = mean * mean / var
        xi = 0.5 * (1.0 - ratio)
        scale = 0.5 * mean * (1.0 + ratio)
        top = float(np.max(x))
        if xi < 0 and top >= -scale / xi:
            xi = -0.9 * scale / top
        return {"scale": scale, "xi": xi}

    def _exponent(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1p_ratio(p["xi"], x / p["scale"])

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # -log scale - (1 + xi) L, L = log(1 + xi x/scale)/xi; beyond the upper end L = +inf.
        big_l = self._exponent(x, p)
        inside = tf.is_finite(big_l)
        finite_l = tf.where(inside, big_l, tf.zeros_like(big_l))
        value = -tf.log(p["scale"]) - (1.0 + p["xi"]) * finite_l
        return tf.where(inside, value, zero_density(value))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -self._exponent(x, p)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_sf(x, p)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        # Inverse survival: x = scale (S^-xi - 1)/xi, continued to -scale log S at xi = 0.
        log_s = np.log(rng.uniform(size=n))
        xi = params["xi"]
        z = -log_s if xi == 0 else np.expm1(-xi * log_s) / xi
        return params["scale"] * z

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.genpareto(c=params["xi"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, _, scale = stats.genpareto.fit(x, floc=0)
        return {"scale": float(scale), "xi": float(c)}
