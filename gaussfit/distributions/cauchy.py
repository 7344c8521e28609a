"""The Cauchy family: so heavy-tailed it has no mean, so every starting point uses quantiles."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import interquartile_range, median, positive

_LOG_PI = math.log(math.pi)


class Cauchy(Family):
    name = "cauchy"
    title = "Cauchy with location and scale"
    params = (
        Parameter("loc", REAL, "location (the median)"),
        Parameter("scale", POSITIVE, "scale (half the interquartile range)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The quartiles of a Cauchy law lie at loc ± scale.
        return {"loc": median(x, w), "scale": positive(0.5 * interquartile_range(x, w))}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = (x - p["loc"]) / p["scale"]
        return -_LOG_PI - tf.log(p["scale"]) - tf.log1p(tf.square(z))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["loc"] + params["scale"] * rng.standard_cauchy(size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.cauchy(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.cauchy.fit(x)
        return {"loc": float(loc), "scale": float(scale)}
