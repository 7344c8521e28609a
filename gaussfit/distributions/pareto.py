"""The Pareto (type I) family: S(x) = (scale / x)^b for x >= scale, the power law of incomes,
city sizes and claim amounts above a floor (scipy's ``pareto`` with loc 0).

Its support starts at the scale, so the likelihood grows with the scale up to the smallest value
and stops there: the scale's MLE is min x, on the edge, whatever b is, and b's is then
n / sum log(x / scale) (both in closed form). The fit holds the scale at min x and optimises b;
the scale gets no Hessian standard error (it converges at rate 1/n, not 1/sqrt(n)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Edge, Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.tails import log1mexp, zero_density
from gaussfit.distributions.weighted import total_weight, weighted_sum


def _smallest(x: np.ndarray, w: np.ndarray | None) -> float:
    """The smallest value with positive weight."""
    return float(np.min(x if w is None else x[np.asarray(w) > 0]))


class Pareto(Family):
    name = "pareto"
    aliases = ("pareto1",)
    title = "Pareto (type I) with tail index b and scale (the lower end)"
    support = Support(lower=0.0)
    moving_support = True
    params = (
        Parameter("shape", POSITIVE, "tail index b"),
        Parameter("scale", POSITIVE, "scale: the smallest possible value"),
    )

    def describe_support(self) -> str:
        return "[scale, inf)"

    def support_at(self, params: dict[str, float]) -> Support:
        return Support(lower=float(params["scale"]), lower_open=False)

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        closed = self.closed_form(x, w)
        if not (math.isfinite(closed["shape"]) and closed["shape"] > 0):
            closed["shape"] = 1.0  # every value equal: no finite MLE of b
        return closed

    def edge_params(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, Edge]:
        return {
            "scale": Edge(
                _smallest(x, w),
                "the likelihood grows with the scale up to the smallest value, where the "
                "support ends: the MLE is min x (it converges at rate 1/n; use --bootstrap B "
                "for an interval)",
            )
        }

    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        scale = _smallest(x, w)
        excess = weighted_sum(np.log(np.divide(x, scale)), w)
        shape = total_weight(x, w) / excess if excess > 0 else math.inf
        return {"shape": shape, "scale": scale}

    def _log_ratio(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        """log(x / scale) where x >= scale (1 elsewhere, kept finite), and where that is; as
        log1p of the relative excess, which keeps its digits just above the scale."""
        z = tf.log1p((x - p["scale"]) / p["scale"])
        inside = tf.greater_equal(z, tf.zeros_like(z))
        return tf.where(inside, z, tf.ones_like(z)), inside

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z, inside = self._log_ratio(x, p)
        value = tf.log(p["shape"]) - tf.log(p["scale"]) - (p["shape"] + 1.0) * z
        return tf.where(inside, value, zero_density(value))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z, inside = self._log_ratio(x, p)
        value = -p["shape"] * z
        return tf.where(inside, value, tf.zeros_like(value))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z, inside = self._log_ratio(x, p)
        value = log1mexp(p["shape"] * z)
        return tf.where(inside, value, zero_density(value))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["scale"] * (1.0 + rng.pareto(params["shape"], size=n))  # numpy's: Lomax

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.pareto(b=params["shape"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        b, _, scale = stats.pareto.fit(x, floc=0)
        return {"shape": float(b), "scale": float(scale)}
