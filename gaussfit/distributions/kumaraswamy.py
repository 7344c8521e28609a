"""The Kumaraswamy family on (0, 1) with shapes a and b: F(x) = 1 - (1 - x^a)^b, a beta-like
law whose CDF and quantile are elementary (hydrology's bounded variables). scipy has no
counterpart, so the numpy log-density and CDF are written here from the same formulas."""

from __future__ import annotations

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean

# Shapes a tried by the start's profile likelihood: 1/50 to 50, log-spaced.
_GRID = np.exp(np.linspace(np.log(0.02), np.log(50.0), 41))


def _log1mexp(y: np.ndarray) -> np.ndarray:
    """numpy's log(1 - e^y), y <= 0, by the same switch as the graph's."""
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(
            y > -np.log(2.0),
            np.log(-np.expm1(np.maximum(y, -np.log(2.0)))),
            np.log1p(-np.exp(np.minimum(y, -np.log(2.0)))),
        )


class Kumaraswamy(Family):
    name = "kumaraswamy"
    title = "Kumaraswamy on (0, 1) with shapes a and b"
    support = Support(lower=0.0, upper=1.0)
    params = (
        Parameter("a", POSITIVE, "shape a (of x^a)"),
        Parameter("b", POSITIVE, "shape b (of 1 - x^a)"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # For fixed a the MLE of b is exact, 1/b = -mean log(1 - x^a); the best a of a log grid
        # under that profile likelihood lands in the MLE's basin whatever the data's shape.
        log_x = np.log(x)
        best, best_ll = (1.0, 1.0), -np.inf
        for a in _GRID:
            tail = _log1mexp(a * log_x)
            b = -1.0 / weighted_mean(tail, w)
            ll = np.log(a) + np.log(b) + weighted_mean((a - 1.0) * log_x + (b - 1.0) * tail, w)
            if np.isfinite(ll) and ll > best_ll:
                best, best_ll = (float(a), float(b)), ll
        return {"a": best[0], "b": best[1]}

    def _tail(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """log(1 - x^a)."""
        return log1mexp(-(p["a"] * tf.log(x)))

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        a, b = p["a"], p["b"]
        return tf.log(a) + tf.log(b) + (a - 1.0) * tf.log(x) + (b - 1.0) * self._tail(x, p)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return p["b"] * self._tail(x, p)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_sf(x, p)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        # Inverse CDF: x = (1 - S^(1/b))^(1/a) with S uniform.
        log_s = np.log(rng.uniform(size=n))
        return (-np.expm1(log_s / params["b"])) ** (1.0 / params["a"])

    def log_pdf_numpy(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        a, b = params["a"], params["b"]
        log_x = np.log(x)
        return np.log(a * b) + (a - 1.0) * log_x + (b - 1.0) * _log1mexp(a * log_x)

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        x = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0)
        with np.errstate(divide="ignore"):
            return -np.expm1(params["b"] * _log1mexp(params["a"] * np.log(x)))
