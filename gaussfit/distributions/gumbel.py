"""The Gumbel (maximum) family: the law of block maxima, as used for floods and peak loads."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import log_mean_exp
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean_var

_SCALE_PER_STD = math.sqrt(6.0) / math.pi


class Gumbel(Family):
    name = "gumbel"
    aliases = ("gumbel_r",)
    title = "Gumbel (maxima) with location and scale"
    params = (
        Parameter("loc", REAL, "location (the mode)"),
        Parameter("scale", POSITIVE, "scale"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The scale from the standard deviation (pi scale / sqrt 6); for that scale the loc
        # MLE is exact: exp(-loc/scale) = mean(exp(-x/scale)), taken in logs.
        _, var = weighted_mean_var(x, w)
        scale = _SCALE_PER_STD * math.sqrt(var) if var > 0 else 1.0
        return {"loc": -scale * log_mean_exp(np.divide(x, -scale), w), "scale": scale}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = (x - p["loc"]) / p["scale"]
        return -z - tf.exp(-z) - tf.log(p["scale"])

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # F = exp(-exp(-z)), so log F = -exp(-z) and log S is its complement.
        return -tf.exp(-(x - p["loc"]) / p["scale"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(tf.exp(-(x - p["loc"]) / p["scale"]))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.gumbel(params["loc"], params["scale"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.gumbel_r(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.gumbel_r.fit(x)
        return {"loc": float(loc), "scale": float(scale)}
