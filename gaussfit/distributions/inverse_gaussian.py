"""The inverse Gaussian (Wald) family with mean mu and shape lambda: the first passage time of
a Brownian motion with drift, for positive skewed data (scipy's ``invgauss`` with
mu = mean/lambda and scale = lambda).

With r = sqrt(lambda/x), a = r (x/mu - 1) and b = r (x/mu + 1),
F = Phi(a) + e^(2 lambda/mu) Phi(-b) and S = Phi(-a) - e^(2 lambda/mu) Phi(-b). Since
b^2 - a^2 = 4 lambda/mu, the second term is erfcx(b/sqrt 2)/2 e^(-a^2/2): nothing overflows, and
in the right tail S's two terms, which nearly cancel, are compared as the ratio
erfcx(b/sqrt 2) / erfcx(a/sqrt 2) rather than subtracted.
"""

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

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
_LOG_TWO = math.log(2.0)
_SQRT_HALF = math.sqrt(0.5)
# Beyond a = 1e4 erfcx's expansion to 1/t^2 is exact to 1e-16 (the next term is 3/(4 t^4)).
_FAR = 1e4


class InverseGaussian(Family):
    name = "invgauss"
    aliases = ("wald",)
    title = "Inverse Gaussian (Wald) with mean mu and shape lambda"
    support = Support(lower=0.0)
    params = (
        Parameter("mu", POSITIVE, "mean mu"),
        Parameter("lam", POSITIVE, "shape lambda (mu^3 / variance)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        mle = self.closed_form(x, w)
        if mle is None:  # all values equal: any shape will do as a start
            return {"mu": positive(weighted_mean(x, w)), "lam": 1.0}
        return mle

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        mu, lam = p["mu"], p["lam"]
        d = x - mu
        return (
            0.5 * tf.log(lam)
            - _HALF_LOG_TWO_PI
            - 1.5 * tf.log(x)
            - lam * d * d / (2.0 * mu * mu * x)
        )

    def _ab(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        r = tf.sqrt(p["lam"] / x)
        ratio = x / p["mu"]
        return r * (ratio - 1.0), r * (ratio + 1.0)

    def _log_erfcx_ratio(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """log(erfcx(b/sqrt 2) / erfcx(a/sqrt 2)) for a > 0.

        Far right (a > 1e4) a and b agree in more digits than a double holds, so the ratio
        comes from erfcx's expansion 1/(t sqrt pi) (1 - 1/(2t^2) + O(t^-4)) instead:
        -log(1 + 2r/a) + 4 lambda/(mu a^2 b^2), with b - a = 2r exactly.
        """
        a, b = self._ab(x, p)
        right = tf.maximum(a, 0.0)
        direct = tf.log(tf.erfcx(b * _SQRT_HALF)) - tf.log(tf.erfcx(right * _SQRT_HALF))
        far = tf.maximum(a, _FAR)
        r = tf.sqrt(p["lam"] / x)
        b_far = far + 2.0 * r
        expansion = -tf.log1p(2.0 * r / far) + 4.0 * p["lam"] / (
            p["mu"] * far * far * b_far * b_far
        )
        return tf.where(a > _FAR, expansion, direct)

    def _log_second_term(self, a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
        """log(e^(2 lambda/mu) Phi(-b)) = log(erfcx(b/sqrt 2)/2) - a^2/2."""
        return tf.log(tf.erfcx(b * _SQRT_HALF)) - _LOG_TWO - 0.5 * a * a

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        a, b = self._ab(x, p)
        first, second = tf.log_ndtr(a), self._log_second_term(a, b)
        top = tf.maximum(first, second)
        return top + tf.softplus(-tf.abs(first - second))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        a, b = self._ab(x, p)
        first = tf.log_ndtr(-a)
        # log of (second term / first term): as an erfcx ratio right of the mean (a > 0), where
        # both terms are e^(-a^2/2) times a modest factor; directly left of it (Phi(-a) >= 1/2).
        ratio = tf.where(a > 0.0, self._log_erfcx_ratio(x, p), self._log_second_term(a, b) - first)
        return first + log1mexp(-(ratio))

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        # Score equations: mu = mean(x), 1/lambda = mean(1/x - 1/mu), which is >= 0 (Jensen)
        # and 0 only when all values are equal: then lambda -> inf and no MLE exists.
        mu = weighted_mean(x, w)
        inverse = weighted_mean(np.reciprocal(x) - 1.0 / mu, w)
        return {"mu": mu, "lam": 1.0 / inverse} if inverse > 0 else None

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.wald(params["mu"], params["lam"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.invgauss(mu=params["mu"] / params["lam"], scale=params["lam"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        mu, _, scale = stats.invgauss.fit(x, floc=0)
        return {"mu": float(mu * scale), "lam": float(scale)}
