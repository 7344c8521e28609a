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
_LOG_HALF = math.log(0.5)
_NEAR_ZERO = 1e-100


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

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = (x - p["loc"]) / p["scale"]
        return _log_t_cdf(z, p["df"])

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = (p["loc"] - x) / p["scale"]  # the t is symmetric: S(x) = F(-z)
        return _log_t_cdf(z, p["df"])

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["loc"] + params["scale"] * rng.standard_t(params["df"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.t(params["df"], loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        df, loc, scale = stats.t.fit(x)
        return {"df": float(df), "loc": float(loc), "scale": float(scale)}


def _log_t_cdf(z: tf.Tensor, df: tf.Tensor) -> tf.Tensor:
    """log F(z) for the standard t with df degrees of freedom, accurate in both tails.

    The tail beyond |z| is P(T < -|z|) = I_t(df/2, 1/2) / 2 with t = df / (df + z²), which
    keeps its digits however small it is; near the centre, where I_t is close to 1, it is
    (1 - I_u(1/2, df/2)) / 2 with u = z² / (df + z²) instead. F is the tail for z < 0 and one
    minus it for z > 0 (log1p of minus a number at most 1/2). Each branch reads a safe
    argument (1/2) where it is not taken, so it stays finite and no NaN reaches the gradients;
    z = 0 exactly is moved by 1e-100 (the value does not change) because the chain rule
    through z² meets 0 · inf there.
    """
    half_df = 0.5 * df
    z = z + tf.where(tf.abs(z) < _NEAR_ZERO, _NEAR_ZERO * tf.ones_like(z), tf.zeros_like(z))
    z_2 = tf.square(z)
    t = df / (df + z_2)
    u = z_2 / (df + z_2)
    in_tail = tf.betainc(half_df, 0.5, t) < 0.5
    tail = _LOG_HALF + tf.log_betainc(half_df, 0.5, tf.where(in_tail, t, 0.5 * tf.ones_like(t)))
    centre = _LOG_HALF + tf.log1p(
        -tf.betainc(0.5, half_df, tf.where(in_tail, 0.5 * tf.ones_like(u), u))
    )
    log_tail = tf.where(in_tail, tail, centre)
    return tf.where(z < 0.0, log_tail, tf.log1p(-tf.exp(log_tail)))
