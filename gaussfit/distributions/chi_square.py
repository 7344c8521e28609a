"""The chi-square family with df degrees of freedom (a gamma of shape df/2 and scale 2;
scipy's ``chi2`` with loc 0 and scale 1), df real and positive."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import positive
from gaussfit.distributions.weighted import weighted_mean

_LOG_TWO = math.log(2.0)


class ChiSquare(Family):
    name = "chi2"
    aliases = ("chi_square",)
    title = "Chi-square with df degrees of freedom"
    support = Support(lower=0.0)
    params = (Parameter("df", POSITIVE, "degrees of freedom (the mean)"),)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return {"df": positive(weighted_mean(x, w))}

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        k = 0.5 * p["df"]
        return (k - 1.0) * tf.log(x) - 0.5 * x - k * _LOG_TWO - tf.lgamma(k)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igamma(0.5 * p["df"], 0.5 * x)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return tf.log_igammac(0.5 * p["df"], 0.5 * x)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.chisquare(params["df"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.chi2(df=params["df"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        df, _, _ = stats.chi2.fit(x, floc=0, fscale=1)
        return {"df": float(df)}
