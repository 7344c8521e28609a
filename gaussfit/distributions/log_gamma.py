"""The log-gamma family: X = loc + scale log G with G ~ gamma(c, 1), a left-skewed law on the
whole line (logs of gamma-distributed data; scipy's ``loggamma``). With z = (x - loc)/scale,
f = exp(c z - e^z) / (Γ(c) scale), F = P(c, e^z) and S = Q(c, e^z), the regularized
incomplete gamma functions, so the CDF graphs reuse the gamma family's ops."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import positive
from gaussfit.distributions.weighted import weighted_mean, weighted_mean_var

# log G has skewness ψ''(c)/ψ'(c)^1.5, which runs from -2 (c -> 0) to 0 (c -> inf).
_SMALLEST_C, _LARGEST_C = 1e-2, 1e3
_UNDERFLOW = -690.0  # e^z below 1e-300


class LogGamma(Family):
    name = "loggamma"
    aliases = ("log_gamma",)
    title = "Log-gamma (log of a gamma variable) with shape c, location and scale"
    params = (
        Parameter("loc", REAL, "location"),
        Parameter("scale", POSITIVE, "scale"),
        Parameter("c", POSITIVE, "gamma shape c"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Moments of log G: mean ψ(c), variance ψ'(c), skewness ψ''(c)/ψ'(c)^1.5. The skewness
        # fixes c (by bisection on log c: it is monotone), then scale and loc follow. Data
        # skewed to the right have no log-gamma fit with a near match; they get the largest c
        # (nearly normal).
        from scipy.special import polygamma, psi

        mean, var = weighted_mean_var(x, w)
        sd = positive(math.sqrt(var))
        skew = weighted_mean(np.power(np.subtract(x, mean) / sd, 3), w)

        def skewness(c: float) -> float:
            return float(polygamma(2, c) / polygamma(1, c) ** 1.5)

        low, high = math.log(_SMALLEST_C), math.log(_LARGEST_C)
        if not skew < skewness(_LARGEST_C):
            c = _LARGEST_C
        elif not skew > skewness(_SMALLEST_C):
            c = _SMALLEST_C
        else:
            for _ in range(60):
                middle = 0.5 * (low + high)
                low, high = (middle, high) if skewness(math.exp(middle)) < skew else (low, middle)
            c = math.exp(0.5 * (low + high))
        scale = sd / math.sqrt(float(polygamma(1, c)))
        return {"loc": mean - scale * float(psi(c)), "scale": scale, "c": c}

    def limit_note(self, params: dict[str, float]) -> str | None:
        # As c grows log G tends to a normal law and its skewness to 0 from below; on data
        # that are not skewed to the left the likelihood keeps rising along that path.
        if params["c"] <= _LARGEST_C:
            return None
        return (
            f"c = {params['c']:.4g} and growing: the likelihood rises toward the log-gamma's "
            "normal limit (c -> infinity), as it does on data not skewed to the left; that "
            "limit is the normal family: fit it instead"
        )

    def _z(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return (x - p["loc"]) / p["scale"]

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = self._z(x, p)
        return p["c"] * z - tf.exp(z) - tf.lgamma(p["c"]) - tf.log(p["scale"])

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # Far on the left e^z underflows; there P(c, y) = y^c/Γ(c + 1) (1 - c y/(c + 1) + ...)
        # and the correction is below 1e-300: log F = c z - log Γ(c + 1) exactly in doubles.
        z = self._z(x, p)
        y = tf.exp(tf.maximum(z, _UNDERFLOW))
        return tf.where(z < _UNDERFLOW, self._far_log_cdf(z, p), tf.log_igamma(p["c"], y))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # Where F is that small, log S = log1p(-F) = -F in doubles.
        z = self._z(x, p)
        y = tf.exp(tf.maximum(z, _UNDERFLOW))
        far = -tf.exp(self._far_log_cdf(z, p))
        return tf.where(z < _UNDERFLOW, far, tf.log_igammac(p["c"], y))

    def _far_log_cdf(self, z: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return p["c"] * z - tf.lgamma(p["c"] + 1.0)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        # log G = log G' + log(U)/c with G' ~ gamma(c + 1): a small c's draws of G underflow
        # to 0, their logs do not.
        c = params["c"]
        log_g = np.log(rng.gamma(c + 1.0, size=n)) + np.log(rng.uniform(size=n)) / c
        return params["loc"] + params["scale"] * log_g

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.loggamma(c=params["c"], loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, loc, scale = stats.loggamma.fit(x)
        return {"loc": float(loc), "scale": float(scale), "c": float(c)}
