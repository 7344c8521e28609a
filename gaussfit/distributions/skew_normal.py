"""The skew-normal family (Azzalini 1985): f(x) = 2/s φ(z) Φ(a z), z = (x - loc)/s, a normal
bent by the shape a (a = 0 is the normal; a -> ±inf the half-normals). scipy's ``skewnorm``.

Its likelihood has two known pathologies. At a = 0 the scores of loc and a are proportional
(the information matrix is singular there), so a fit is never started at a = 0 exactly. And
for samples whose skewness is near or beyond the family's limit (|skewness| < 0.9953) the MLE
of a is infinite: the likelihood rises for ever towards a half-normal. A fit that drifts that
way is flagged (``degeneracy_flags``).

Tails. With h = -z, F(z) = 2 P(X > h, Y > aX) for independent standard normals X, Y, and
S(z) = F(-z) with -a. Written as Φ(z) - 2T(z, a) (Owen's T) the thin tail (z < 0 < a) is a
difference of nearly equal numbers, so there P(X > h, Y > aX) is integrated instead:
substituting Φ(-at) = φ(at) R(at) (R the Mills ratio, R(y) = √(π/2) erfcx(y/√2)) and
t -> t√(1+a²) gives

    P = 1/(b √(2π)) ∫_g^∞ φ(t) R(δ t) dt,   b = √(1+a²), δ = a/b, g = b h,

a positive, smooth integrand, summed with 32 Gauss-Legendre nodes on [g, √(g² + 80)] (beyond
which φ has fallen by e^-40) in log space: 1e-15 relative to mpmath from the centre to
log P = -1e12. The other cases need no integral: for h >= 0 > a, P = Φ(-h) - P(h, |a|)
(the subtracted part is at most half); for h < 0, P = 1/2 - P(-h, -a), or Φ(-h)/2 - T(h, a)
(Owen's T) where P(-h, -a) > 1/4: P is at least 1/(2π(1 + |a|)) there, so no cancellation
beyond a factor of about |a|.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.starting import positive
from gaussfit.distributions.weighted import weighted_mean, weighted_mean_var

_LOG_TWO = math.log(2.0)
_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
_ONE_OVER_ROOT_TWO = 1.0 / math.sqrt(2.0)
_NODES = 32
_REACH = 80.0  # the integral stops where φ has fallen by exp(-_REACH / 2)
_MAX_START_DELTA = 0.95  # a start with |δ| <= 0.95 (|a| <= 3) stays clear of the half-normal
_DRIFTING_A = 20.0  # beyond |a| = 20 the density is within 1e-3 of a half-normal's


def _quadrature() -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes on [0, 1] and the logs of their weights."""
    from scipy.special import roots_legendre

    s, w = roots_legendre(_NODES)
    return 0.5 * (s + 1.0), np.log(0.5 * w)


def log_double_wedge(h: tf.Tensor, a: tf.Tensor) -> tf.Tensor:
    """log 2P(X > h, Y > aX) for independent standard normals, elementwise: the skew-normal's
    log F(-h) (see the module's docstring). For h < 0, 2P = 1 - 2P(-h, -a): as
    log1p(-2P(-h, -a)) while that P is under 1/4 (so a CDF near 1 keeps its digits), else
    through Owen's T. Every branch is fed arguments valid for it, so ``where`` passes no NaN
    into the gradients."""
    upper = h >= 0.0
    right = _log_double_right_wedge(tf.abs(h), tf.where(upper, a, -a))
    complement = tf.log1p(-tf.exp(tf.minimum(right, -_LOG_TWO)))
    inner_h = tf.minimum(h, 0.0)
    owen = tf.log(tf.ndtr(-inner_h) - 2.0 * tf.owens_t(inner_h, a))
    inner = tf.where(right < -_LOG_TWO, complement, owen)
    return tf.where(upper, right, inner)


def _log_double_right_wedge(h: tf.Tensor, a: tf.Tensor) -> tf.Tensor:
    """log 2P(X > h, Y > aX) for h >= 0: the quadrature for a >= 0; for a < 0, 2Φ(-h) less
    the quadrature at |a|: near h = 0 as log1p(-erf(h/√2) - 2P(h, |a|)) (the result can be
    near 0 there), further out as log 2Φ(-h) + log1p(-P(h, |a|)/Φ(-h))."""
    thin = _log_double_thin_wedge(h, tf.abs(a))
    log_tail = tf.log_ndtr(-h)
    # 2P(h, |a|) <= Φ(-h), so 1 - erf(h/√2) - 2P(h, |a|) >= Φ(-h) > 0 where this branch is
    # taken (h < 1); erf reads min(h, 1) so that the branch not taken stays finite as well.
    near = tf.log1p(-tf.erf(tf.minimum(h, 1.0) * _ONE_OVER_ROOT_TWO) - tf.exp(thin))
    far = _LOG_TWO + log_tail + tf.log1p(-0.5 * tf.exp(thin - log_tail))
    fat = tf.where(h < 1.0, near, far)
    return tf.where(a >= 0.0, thin, fat)


def _log_double_thin_wedge(h: tf.Tensor, a: tf.Tensor) -> tf.Tensor:
    """log 2P(X > h, Y > aX) for h >= 0, a >= 0 by the quadrature of the module's
    docstring."""
    nodes, log_weights = _quadrature()
    b = tf.sqrt(1.0 + tf.square(a))
    g = tf.expand_dims(b * h, -1)
    length = tf.sqrt(tf.square(g) + _REACH) - g
    t = g + length * tf.constant(nodes, dtype=tf.float64)
    delta = tf.expand_dims(a / b, -1)
    terms = (
        tf.constant(log_weights, dtype=tf.float64)
        + tf.log(length)
        - 0.5 * tf.square(t)
        + tf.log(tf.erfcx(delta * t * _ONE_OVER_ROOT_TWO))
    )
    # 2 · 1/(b√(2π)) · φ's 1/√(2π) · R's √(π/2)
    constant = _LOG_TWO - 2.0 * _HALF_LOG_TWO_PI + 0.5 * math.log(math.pi / 2.0)
    return tf.reduce_logsumexp(terms, axis=-1) + constant - tf.log(b)


class SkewNormal(Family):
    name = "skewnormal"
    aliases = ("skewnorm", "skew_normal")
    title = "Skew-normal with location, scale and shape a (a = 0: normal)"
    params = (
        Parameter("loc", REAL, "location"),
        Parameter("scale", POSITIVE, "scale"),
        Parameter("a", REAL, "shape (skewness) a"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Moments: the skewness gives δ = a/√(1+a²) (Azzalini's formulas), then the variance
        # the scale and the mean the location. δ is kept within ±0.95 (the MLE of a may be
        # infinite) and off 0 (where the information matrix is singular).
        mean, var = weighted_mean_var(x, w)
        sd = positive(math.sqrt(var))
        skew = weighted_mean(np.power(np.subtract(x, mean) / sd, 3), w)
        r = (2.0 * abs(skew) / (4.0 - math.pi)) ** (1.0 / 3.0)
        delta = math.sqrt(math.pi / 2.0) * r / math.sqrt(1.0 + r * r)
        delta = math.copysign(min(max(delta, 0.05), _MAX_START_DELTA), skew)
        scale = sd / math.sqrt(1.0 - 2.0 * delta * delta / math.pi)
        return {
            "loc": mean - scale * delta * math.sqrt(2.0 / math.pi),
            "scale": scale,
            "a": delta / math.sqrt(1.0 - delta * delta),
        }

    def _z(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return (x - p["loc"]) / p["scale"]

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = self._z(x, p)
        return (
            _LOG_TWO
            - tf.log(p["scale"])
            - 0.5 * tf.square(z)
            - _HALF_LOG_TWO_PI
            + tf.log_ndtr(p["a"] * z)
        )

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = self._z(x, p)
        return log_double_wedge(-z, p["a"] * tf.ones_like(z))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = self._z(x, p)
        return log_double_wedge(z, -p["a"] * tf.ones_like(z))

    def degeneracy_flags(self, params: dict[str, float], stderr: dict[str, Any]) -> list[str]:
        a, se = params["a"], stderr.get("a")
        if abs(a) > _DRIFTING_A and (se is None or not math.isfinite(se) or se > 0.25 * abs(a)):
            return [
                f"a = {a:.4g} drifts towards {'+' if a > 0 else '-'}infinity: the sample is "
                "as skewed as a half-normal, where the skew-normal's MLE of a is infinite"
            ]
        return []

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        # |U0| carries the sign that a bivariate normal with correlation δ selects.
        a = params["a"]
        delta = a / math.sqrt(1.0 + a * a)
        u0 = rng.standard_normal(n)
        v = rng.standard_normal(n)
        u1 = delta * np.abs(u0) + math.sqrt(1.0 - delta * delta) * v
        return params["loc"] + params["scale"] * u1

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.skewnorm(a=params["a"], loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        a, loc, scale = stats.skewnorm.fit(x)
        return {"loc": float(loc), "scale": float(scale), "a": float(a)}
