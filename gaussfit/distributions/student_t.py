"""Student's t family with df nu, location and scale: the normal's heavy-tailed cousin."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import median, median_abs_deviation, positive
from gaussfit.distributions.weighted import weighted_mean_var

_START_DF = 5.0
# The median of |T| for T ~ t(5): the MAD of t(5, loc, scale) data is this times the scale.
_MAD_PER_SCALE_DF5 = 0.7266868438004226
_HALF_LOG_PI = 0.5 * math.log(math.pi)


class StudentT(Family):
    name = "student_t"
    aliases = ("t",)
    title = "Student's t with df nu, location and scale"
    params = (
        Parameter("df", POSITIVE, "degrees of freedom nu"),
        Parameter("loc", REAL, "location (the median)"),
        Parameter("scale", POSITIVE, "scale"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Median and MAD ignore the outliers that make a t fit worth doing; df 5 is a middling
        # tail that the optimiser moves quickly either way.
        loc = median(x, w)
        mad = median_abs_deviation(x, w, loc)
        scale = positive(mad / _MAD_PER_SCALE_DF5, math.sqrt(weighted_mean_var(x, w)[1]))
        return {"df": _START_DF, "loc": loc, "scale": scale}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        df, scale = p["df"], p["scale"]
        z = (x - p["loc"]) / scale
        normaliser = (
            tf.lgamma(0.5 * (df + 1.0))
            - tf.lgamma(0.5 * df)
            - 0.5 * tf.log(df)
            - _HALF_LOG_PI
            - tf.log(scale)
        )
        return normaliser - 0.5 * (df + 1.0) * tf.log1p(tf.square(z) / df)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["loc"] + params["scale"] * rng.standard_t(params["df"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.t(params["df"], loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        df, loc, scale = stats.t.fit(x)
        return {"df": float(df), "loc": float(loc), "scale": float(scale)}
