"""The Nakagami family with shape nu (m, >= 1/2 in radio fading, any positive value here) and
scale s: X^2 is gamma(nu, s^2/nu), so E X^2 = s^2 (the spread Omega) and the CDF is
P(nu, nu (x/s)^2) (scipy's ``nakagami`` with loc 0)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.weighted import weighted_mean

_LOG_TWO = math.log(2.0)


class Nakagami(Family):
    name = "nakagami"
    title = "Nakagami with shape nu and scale s (s^2 = E X^2)"
    support = Support(lower=0.0)
    params = (
        Parameter("nu", POSITIVE, "shape nu (m)"),
        Parameter("scale", POSITIVE, "scale s, the root mean square"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # s^2 = mean(x^2) is exact whatever nu; nu is the gamma shape of x^2 (Minka's formula).
        y = np.square(x)
        mean = weighted_mean(y, w)
        s = math.log(mean) - weighted_mean(np.log(y), w)
        nu = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s) if s > 0 else 1.0
        return {"nu": nu, "scale": math.sqrt(mean)}

    def _gamma_argument(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x / p["scale"]
        return p["nu"] * z * z

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        nu = p["nu"]
        return (
            _LOG_TWO
            + nu * tf.log(nu)
            - tf.lgamma(nu)
            + (2.0 * nu - 1.0) * (tf.log(x) - tf.log(p["scale"]))
            - self._gamma_argument(x, p)
            - tf.log(p["scale"])
        )

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igamma(p["nu"], self._gamma_argument(x, p))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igammac(p["nu"], self._gamma_argument(x, p))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        nu, scale = params["nu"], params["scale"]
        return np.sqrt(rng.gamma(nu, scale * scale / nu, size=n))

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.nakagami(nu=params["nu"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        nu, _, scale = stats.nakagami.fit(x, floc=0)
        return {"nu": float(nu), "scale": float(scale)}
