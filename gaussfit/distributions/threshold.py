"""Threshold (three-parameter) families: a positive family shifted to start at a threshold.

X = threshold + Y with Y lognormal, Weibull or gamma: the law of data with a lower bound that
is not 0 (a detection limit, a minimum lifetime, values recorded as 0). Their likelihood is
unbounded as the threshold reaches the smallest value x(1) (Hill 1963 for the lognormal; for
the Weibull and gamma whenever the shape is below 1), so "the" maximum does not exist and the
estimate is defined instead by the profile likelihood over the threshold:

    lp(t) = max over the other parameters of log L(t, ...),  t < x(1),

whose inner maximum is exact or a one-dimensional root for each family (``ThresholdFamily.
profile``). lp is searched on a grid of distances d = x(1) - t from 1e-8 to 100 times the
data's range (log-spaced) and the highest local maximum refined by Brent's method; the engine's
Newton step then polishes all three parameters from there. That local maximum is the estimator
of Hill (1963), Cohen & Whitten (1980) and Cheng & Amin (1983): consistent, and asymptotically
normal when the shape is above 2 (lognormal: always).

When lp has no local maximum (it climbs all the way to x(1): J-shaped data, a Weibull or gamma
shape below 1), the threshold sits at the data's minimum. It is then held half the first
spacing below x(1) (closer than that the data cannot tell it from x(1); the spacings argument
of Cheng & Amin 1983), the other parameters are fitted with it, and the fit is flagged: its
log-likelihood depends on that choice, so ``compare`` does not rank it, and its Hessian gives
no valid standard errors (use the bootstrap).
"""

from __future__ import annotations

import math
from abc import abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Edge, Family, Parameter, Support
from gaussfit.distributions.constraints import REAL
from gaussfit.distributions.tails import zero_density

# log10 of the distance below x(1), in units of the data's range, where lp is first evaluated.
_GRID = np.linspace(-8.0, 2.0, 26)
REGULAR_SHAPE = 2.0
"""Above this shape a Weibull or gamma threshold fit is regular (Smith 1985): the Hessian's
standard errors hold. Between 1 and 2 the estimate exists but converges faster than 1/sqrt(n),
and the Hessian says nothing about it."""

EDGE_CLOSENESS = 1e-9
"""A threshold closer than this (relative to the data's range) to the smallest value is at it."""

THRESHOLD = Parameter("threshold", REAL, "lower bound (scipy's loc)")


@dataclass(frozen=True)
class ThresholdSearch:
    """Where the profile likelihood over the threshold peaks: its value, and whether it is a
    local maximum (``at_edge`` False) or the data's minimum (no local maximum: at_edge True)."""

    threshold: float
    params: dict[str, float]
    at_edge: bool


class ThresholdFamily(Family):
    """A positive family (``base``) shifted to start at a free threshold."""

    base: ClassVar[type[Family]]
    shape_name: ClassVar[str | None] = None
    moving_support = True

    def __init__(self) -> None:
        self._base = self.base()
        self._last: tuple[np.ndarray, np.ndarray | None, ThresholdSearch] | None = None

    def describe_support(self) -> str:
        return "(threshold, inf)"

    def support_at(self, params: dict[str, float]) -> Support:
        return Support(lower=float(params["threshold"]))

    # -- the profile likelihood -----------------------------------------------------------
    @abstractmethod
    def profile(self, y: np.ndarray, w: np.ndarray | None) -> tuple[dict[str, float], float]:
        """The base family's MLE for positive data y = x - threshold, and its log-likelihood."""

    def search(self, x: np.ndarray, w: np.ndarray | None) -> ThresholdSearch:
        """Maximise the profile likelihood over the threshold (cached for the last data)."""
        if self._last is not None and self._last[0] is x and self._last[1] is w:
            return self._last[2]
        found = self._search(x, w)
        self._last = (x, w, found)
        return found

    def _search(self, x: np.ndarray, w: np.ndarray | None) -> ThresholdSearch:
        if w is not None:
            keep = np.asarray(w) > 0
            x, w = x[keep], np.asarray(w)[keep]
        low, high = float(np.min(x)), float(np.max(x))
        spread = high - low
        if not spread > 0:  # constant data: any threshold below them will do as a start
            threshold = low - max(abs(low), 1.0)
            return ThresholdSearch(threshold, self.profile(x - threshold, w)[0], False)

        def lp(u: float) -> float:
            value = self.profile(x - (low - spread * 10.0**u), w)[1]
            return value if math.isfinite(value) else -math.inf

        values = np.array([lp(u) for u in _GRID])
        peaks = [
            i
            for i in range(1, len(_GRID))
            if values[i] >= values[i - 1] and (i == len(_GRID) - 1 or values[i] > values[i + 1])
        ]
        if not peaks:
            above = x[x > low]
            gap = float(np.min(above)) - low
            threshold = low - 0.5 * gap
            return ThresholdSearch(threshold, self.profile(x - threshold, w)[0], True)
        best = max(peaks, key=lambda i: values[i])
        u = _GRID[best]
        if best < len(_GRID) - 1:
            from scipy.optimize import minimize_scalar

            refined = minimize_scalar(
                lambda v: -lp(v),
                bounds=(_GRID[best - 1], _GRID[best + 1]),
                method="bounded",
                options={"xatol": 1e-9},
            )
            if -refined.fun >= values[best]:
                u = float(refined.x)
        threshold = low - spread * 10.0**u
        return ThresholdSearch(threshold, self.profile(x - threshold, w)[0], False)

    # -- Family ---------------------------------------------------------------------------
    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        found = self.search(x, w)
        return {**found.params, "threshold": found.threshold}

    def edge_params(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, Edge]:
        found = self.search(x, w)
        if not found.at_edge:
            return {}
        return {
            "threshold": Edge(
                found.threshold,
                "the profile likelihood climbs without bound toward the smallest value (no "
                "local maximum): threshold held half the first spacing below it; the "
                "log-likelihood depends on that choice, so compare does not rank this fit",
                bounded=False,
            )
        }

    def reference_note(self, x: np.ndarray, params: dict[str, float]) -> str | None:
        low, high = float(np.min(x)), float(np.max(x))
        if params["threshold"] < low - EDGE_CLOSENESS * (high - low):
            return None
        if params["threshold"] > low:
            return (
                f"scipy's fit put its threshold above the smallest value "
                f"({params['threshold']:.6g} > {low:.6g}): its log-likelihood is -inf"
            )
        return (
            f"scipy's fit ran its threshold into the smallest value ({params['threshold']:.6g}, "
            f"smallest {low:.6g}), where the likelihood is unbounded: its log-likelihood is "
            "not a maximum to compare with"
        )

    def irregular(self, params: dict[str, float]) -> str | None:
        shape = None if self.shape_name is None else params[self.shape_name]
        if shape is None or shape > REGULAR_SHAPE:
            return None
        return (
            f"{self.shape_name} = {shape:.4g} is at most {REGULAR_SHAPE:g}: the likelihood is not "
            "regular at the threshold (Smith 1985), so the Hessian's standard errors are not "
            "valid; use --bootstrap B for intervals"
        )

    def _shifted(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        """x - threshold where it is positive (1 elsewhere, kept finite), and where it is."""
        y = x - p["threshold"]
        inside = tf.greater(y, tf.zeros_like(y))
        return tf.where(inside, y, tf.ones_like(y)), inside

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        y, inside = self._shifted(x, p)
        value = self._base.log_prob(y, p)
        return tf.where(inside, value, zero_density(value))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        y, inside = self._shifted(x, p)
        value = self._base.log_cdf(y, p)
        return tf.where(inside, value, zero_density(value))

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        y, inside = self._shifted(x, p)
        value = self._base.log_sf(y, p)
        return tf.where(inside, value, tf.zeros_like(value))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return params["threshold"] + self._base.sample(params, n, rng)
