"""The half-normal family with scale sigma: |Z| sigma for a standard normal Z (the size of a
centred error; scipy's ``halfnorm`` with loc 0)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import positive
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean

_LOG_TWO = math.log(2.0)
_HALF_LOG_TWO_OVER_PI = 0.5 * math.log(2.0 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


class HalfNormal(Family):
    name = "halfnormal"
    aliases = ("halfnorm",)
    title = "Half-normal with scale sigma"
    support = Support(lower=0.0, lower_open=False)
    params = (Parameter("scale", POSITIVE, "scale sigma"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"scale": positive(self.closed_form(x, w)["scale"])}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x / p["scale"]
        return _HALF_LOG_TWO_OVER_PI - tf.log(p["scale"]) - 0.5 * z * z

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # S = 1 - erf(z/sqrt 2), z = x/sigma: near 0 as log1p(-erf), whose small erf keeps its
        # digits (log 2 + log Phi(-z) would cancel there); beyond z = 1 as 2 Phi(-z) from
        # log_ndtr, which reaches far into the tail.
        z = x / p["scale"]
        near = tf.minimum(z, 1.0)
        far = tf.maximum(z, 1.0)
        return tf.where(z < 1.0, tf.log1p(-tf.erf(near * _SQRT_HALF)), _LOG_TWO + tf.log_ndtr(-far))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # F = erf(z/sqrt 2): its log directly below z = 1, log(1 - S) above (S < 0.32 there).
        z = x / p["scale"]
        near = tf.minimum(z, 1.0)
        return tf.where(z < 1.0, tf.log(tf.erf(near * _SQRT_HALF)), log1mexp(-(self.log_sf(x, p))))

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"scale": math.sqrt(weighted_mean(np.square(x), w))}

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return np.abs(rng.normal(0.0, params["scale"], size=n))

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.halfnorm(scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        _, scale = stats.halfnorm.fit(x, floc=0)
        return {"scale": float(scale)}
