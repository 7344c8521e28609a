"""The continuous uniform family on [loc, loc + scale] (scipy's ``uniform``).

Its density 1/scale is largest for the shortest interval that holds the data, so the MLE is
loc = min x, scale = max x - min x: both on the data's edge, in closed form. The fit holds them
there (there is nothing left to optimise) and gives them no Hessian standard errors; the
bootstrap gives intervals.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Edge, Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, REAL
from gaussfit.distributions.tails import zero_density


def _extremes(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float]:
    held = x if w is None else x[np.asarray(w) > 0]
    return float(np.min(held)), float(np.max(held))


class Uniform(Family):
    name = "uniform"
    aliases = ("rectangular",)
    title = "Uniform on [loc, loc + scale]"
    moving_support = True
    params = (
        Parameter("loc", REAL, "lower end"),
        Parameter("scale", POSITIVE, "width"),
    )

    def describe_support(self) -> str:
        return "[loc, loc + scale]"

    def support_at(self, params: dict[str, float]) -> Support:
        low = float(params["loc"])
        return Support(lower=low, upper=low + float(params["scale"]), lower_open=False,
                       upper_open=False)  # fmt: skip

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        low, high = _extremes(x, w)
        return {"loc": low, "scale": high - low if high > low else 1.0}

    def edge_params(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, Edge]:
        low, high = _extremes(x, w)
        why = "the density 1/scale is largest for the shortest interval holding the data"
        return {"loc": Edge(low, f"{why}: min x"), "scale": Edge(high - low, f"{why}: range")}

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        low, high = _extremes(x, w)
        return {"loc": low, "scale": high - low}

    def _where(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, ...]:
        """x - loc, and whether it lies below, inside (strictly) or above [0, scale]."""
        z = x - p["loc"]
        below = tf.less_equal(z, tf.zeros_like(z))
        above = tf.greater_equal(z, p["scale"] * tf.ones_like(z))
        inside = tf.logical_not(tf.logical_or(below, above))
        return z, below, inside, above

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x - p["loc"]
        inside = tf.logical_and(
            tf.greater_equal(z, tf.zeros_like(z)), tf.less_equal(z, p["scale"] * tf.ones_like(z))
        )
        value = -tf.log(p["scale"]) * tf.ones_like(z)
        return tf.where(inside, value, zero_density(value))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z, below, inside, _ = self._where(x, p)
        value = self._log_fraction(z, inside, p["scale"])
        return tf.where(inside, value, tf.where(below, zero_density(value), tf.zeros_like(value)))

    @staticmethod
    def _log_fraction(z: tf.Tensor, inside: tf.Tensor, scale: tf.Tensor) -> tf.Tensor:
        """log(z / scale) for 0 < z < scale: a log of the small side's ratio below the middle,
        log1p of minus the other side's above it (a log of a number near 1 keeps no digits)."""
        half = 0.5 * scale * tf.ones_like(z)
        safe = tf.where(inside, z, half)
        near = tf.greater(safe, half)
        low = tf.where(near, half, safe)
        high = tf.where(near, safe, half)
        return tf.where(near, tf.log1p(-(scale - high) / scale), tf.log(low) - tf.log(scale))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z, below, inside, _ = self._where(x, p)
        value = self._log_fraction(p["scale"] - z, inside, p["scale"])
        return tf.where(inside, value, tf.where(below, tf.zeros_like(value), zero_density(value)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["loc"] + params["scale"] * rng.uniform(size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.uniform(loc=params["loc"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        loc, scale = stats.uniform.fit(x)
        return {"loc": float(loc), "scale": float(scale)}
