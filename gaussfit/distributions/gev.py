"""The generalized extreme value family: the law of block maxima (annual floods, peak winds).

F(x) = exp(-(1 + xi z)^(-1/xi)), z = (x - loc)/scale, on 1 + xi z > 0; xi > 0 is Fréchet-type
(a lower end, heavy right tail), xi < 0 Weibull-type (an upper end), xi = 0 the Gumbel, reached
continuously. scipy's ``genextreme`` uses the opposite sign: its c is -xi.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.tails import log1mexp, log1p_ratio, zero_density
from gaussfit.distributions.weighted import total_weight

_EULER = 0.5772156649015329
# Hosking, Wallis & Wood (1985): k = -xi from the L-moment ratio, to 9e-4 for -0.5 < k < 0.5.
_HOSKING = (7.8590, 2.9554)


class GEV(Family):
    name = "gev"
    aliases = ("genextreme",)
    title = "Generalized extreme value with location, scale and shape xi"
    params = (
        Parameter("loc", REAL, "location"),
        Parameter("scale", POSITIVE, "scale"),
        Parameter("xi", REAL, "shape xi (> 0 heavy right tail; scipy's c = -xi)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Hosking's probability-weighted moments, with weighted plotting positions; then xi is
        # pulled toward 0 (the Gumbel, whose support is the whole line) until every value lies
        # inside the support, so the first likelihood is finite.
        order = np.argsort(x)
        xs = np.asarray(x, dtype=np.float64)[order]
        ws = np.ones_like(xs) if w is None else np.asarray(w, dtype=np.float64)[order]
        total = total_weight(xs, ws)
        pp = (np.cumsum(ws) - 0.5 * ws) / total
        b0 = float(np.sum(ws * xs) / total)
        b1 = float(np.sum(ws * pp * xs) / total)
        b2 = float(np.sum(ws * pp * pp * xs) / total)
        spread = 2.0 * b1 - b0
        if not spread > 0:
            return {"loc": b0, "scale": 1.0, "xi": 0.0}
        ratio = spread / (3.0 * b2 - b0) - math.log(2.0) / math.log(3.0)
        k = float(np.clip(_HOSKING[0] * ratio + _HOSKING[1] * ratio * ratio, -0.9, 0.9))
        if abs(k) < 1e-6:
            scale = spread / math.log(2.0)
            loc = b0 - _EULER * scale
        else:
            gamma_k = math.gamma(1.0 + k)
            scale = spread * k / (gamma_k * (1.0 - 2.0**-k))
            loc = b0 + scale * (gamma_k - 1.0) / k
        xi = -k
        for _ in range(60):
            if np.all(1.0 + xi * (xs - loc) / scale > 0):
                break
            xi *= 0.5
        else:
            xi = 0.0
        return {"loc": float(loc), "scale": float(scale), "xi": float(xi)}

    def _exponent(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """L = log(1 + xi z)/xi, so that (1 + xi z)^(-1/xi) = exp(-L)."""
        return log1p_ratio(p["xi"], (x - p["loc"]) / p["scale"])

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # -log scale - (1 + xi) L - exp(-L); outside the support the density is 0.
        big_l = self._exponent(x, p)
        inside = tf.is_finite(big_l)
        finite_l = tf.where(inside, big_l, tf.zeros_like(big_l))
        value = -tf.log(p["scale"]) - (1.0 + p["xi"]) * finite_l - tf.exp(-finite_l)
        return tf.where(inside, value, zero_density(value))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -tf.exp(-self._exponent(x, p))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_cdf(x, p)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        # Inverse CDF: z = ((-log U)^-xi - 1)/xi, continued to -log(-log U) at xi = 0.
        e = -np.log(rng.uniform(size=n))
        xi = params["xi"]
        z = -np.log(e) if xi == 0 else np.expm1(-xi * np.log(e)) / xi
        return params["loc"] + params["scale"] * z

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.genextreme(c=-params["xi"], loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, loc, scale = stats.genextreme.fit(x)
        return {"loc": float(loc), "scale": float(scale), "xi": float(-c)}
