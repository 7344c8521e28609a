"""The triangular family on [lower, upper] with its peak at mode (scipy's ``triang`` with
c = (mode - lower)/(upper - lower), loc = lower, scale = upper - lower): the law of "minimum,
most likely, maximum" guesses in risk analysis and project planning.

The log-likelihood has a kink at every data value as a function of the mode: for fixed ends it
is largest with the mode at one of the values (Oliver 1972), so the mode is found by a search
over the order statistics — for each candidate the two ends by a smooth two-dimensional
maximisation — and then held there (on the data, an edge of the likelihood's smooth pieces)
while Newton's method polishes the ends. With the mode at the smallest (largest) value the
lower (upper) end meets it: a right-angled triangle, both held there.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Edge, Family, Parameter, Support
from gaussfit.distributions.constraints import REAL
from gaussfit.distributions.tails import zero_density

_LOG_2 = math.log(2.0)
_CANDIDATES = 31
"""Modes tried first when there are more distinct values than this (evenly spaced order
statistics); the best is then improved by moving to neighbouring values while that helps."""
_COARSE_VALUES = 20_000
"""Above this many values the coarse grid of modes is scored on every k-th ordered value."""
_NEWTON_STEPS = 100
_MODE_WHY = (
    "the log-likelihood has a kink at each value, and its maximum over the mode is at one of "
    "them (Oliver 1972): the mode is held there, with no Hessian standard error (use "
    "--bootstrap B)"
)


def _weights(x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    return np.ones_like(x) if w is None else np.asarray(w, dtype=np.float64)


class Triangular(Family):
    name = "triangular"
    aliases = ("triang",)
    title = "Triangular on [lower, upper] with its peak at mode"
    moving_support = True
    params = (
        Parameter("lower", REAL, "lower end"),
        Parameter("mode", REAL, "most likely value"),
        Parameter("upper", REAL, "upper end"),
    )

    def __init__(self) -> None:
        self._last: tuple[np.ndarray, np.ndarray | None, dict[str, float], float] | None = None

    def describe_support(self) -> str:
        return "[lower, upper]"

    def support_at(self, params: dict[str, float]) -> Support:
        return Support(lower=float(params["lower"]), upper=float(params["upper"]),
                       lower_open=False, upper_open=False)  # fmt: skip

    # -- the search over the mode --------------------------------------------------------
    def _ends(self, x: np.ndarray, w: np.ndarray, mode: float) -> tuple[dict[str, float], float]:
        """The ends maximising the log-likelihood for this mode, and that log-likelihood:
        Newton's method on (lower, upper) with the analytic Hessian, each step halved until it
        stays outside the data and improves (a mode at an end of the data makes that end of
        the triangle meet it)."""
        low, high = float(np.min(x)), float(np.max(x))
        spread = high - low
        left, right = x < mode, x > mode
        x_left, w_left, x_right, w_right = x[left], w[left], x[right], w[right]
        n_left, n_right, n = float(np.sum(w_left)), float(np.sum(w_right)), float(np.sum(w))
        free = np.array([mode > low, mode < high])

        unit = bool(np.all(w == 1.0))

        def sums(d: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
            """sum w log d, sum w / d and sum w / d²; with unit weights without multiplying
            by them (the same numbers: a product by 1.0 is exact), one pass fewer of three."""
            squares = np.multiply(d, d)
            if unit:
                return (
                    float(np.sum(np.log(d))),
                    float(np.sum(np.divide(1.0, d))),
                    float(np.sum(np.divide(1.0, squares, out=squares))),
                )
            return (
                float(np.sum(weights * np.log(d))),
                float(np.sum(weights / d)),
                float(np.sum(np.divide(weights, squares, out=squares))),
            )

        def terms(a: float, b: float) -> tuple[float, np.ndarray, np.ndarray]:
            value = n * (_LOG_2 - math.log(b - a))
            gradient = np.array([n / (b - a), -n / (b - a)])
            curvature = n / (b - a) ** 2
            hessian = np.array([[curvature, -curvature], [-curvature, curvature]])
            if free[0]:
                logs, inverse, inverse_squares = sums(x_left - a, w_left)
                value += logs - n_left * math.log(mode - a)
                gradient[0] += n_left / (mode - a) - inverse
                hessian[0, 0] += n_left / (mode - a) ** 2 - inverse_squares
            if free[1]:
                logs, inverse, inverse_squares = sums(b - x_right, w_right)
                value += logs - n_right * math.log(b - mode)
                gradient[1] += inverse - n_right / (b - mode)
                hessian[1, 1] += n_right / (b - mode) ** 2 - inverse_squares
            return value, gradient * free, hessian

        a = low - 0.05 * spread if free[0] else mode
        b = high + 0.05 * spread if free[1] else mode
        value, gradient, hessian = terms(a, b)
        for _ in range(_NEWTON_STEPS):
            h = hessian[np.ix_(free, free)]
            g = gradient[free]
            try:
                step_free = -np.linalg.solve(h, g) if np.all(np.linalg.eigvalsh(h) < 0) else None
            except np.linalg.LinAlgError:
                step_free = None
            if step_free is None:  # not concave here: a gradient step of a tenth of the spread
                step_free = 0.1 * spread * g / max(float(np.max(np.abs(g))), 1e-300)
            step = np.zeros(2)
            step[free] = step_free
            for _ in range(60):
                a_new, b_new = a + step[0], b + step[1]
                if (a_new < low or not free[0]) and (b_new > high or not free[1]):
                    trial = terms(a_new if free[0] else a, b_new if free[1] else b)
                    if trial[0] >= value:
                        break
                step *= 0.5
            else:
                break
            a, b = (a_new if free[0] else a), (b_new if free[1] else b)
            improved = trial[0] - value
            value, gradient, hessian = trial
            if improved <= 1e-13 * max(abs(value), 1.0):
                break
        return {"lower": float(a), "mode": mode, "upper": float(b)}, value

    def search(self, x: np.ndarray, w: np.ndarray | None) -> tuple[dict[str, float], float]:
        """The maximum-likelihood triangle: the best mode over the data's values (cached)."""
        if self._last is not None and self._last[0] is x and self._last[1] is w:
            return self._last[2], self._last[3]
        weights = _weights(x, w)
        keep = weights > 0
        xs, ws = x[keep], weights[keep]
        values = np.unique(xs)
        if len(values) == 1:  # constant data: any triangle around them will do as a start
            v = float(values[0])
            found = ({"lower": v - 1.0, "mode": v, "upper": v + 1.0}, -math.inf)
            self._last = (x, w, *found)
            return found
        positions = (
            np.arange(len(values))
            if len(values) <= _CANDIDATES
            else np.unique(np.linspace(0, len(values) - 1, _CANDIDATES).round().astype(int))
        )
        # The coarse grid only locates the peak: on much data, every stride-th ordered value
        # (each standing for stride of them) scores it; the values near it are then scored
        # on all the data.
        stride = max(1, len(xs) // _COARSE_VALUES)
        order = np.argsort(xs)[::stride]
        coarse_x, coarse_w = xs[order], ws[order] * stride
        coarse = {int(i): self._ends(coarse_x, coarse_w, float(values[i]))[1] for i in positions}
        top = max(coarse, key=lambda i: coarse[i])
        scores = {top: self._ends(xs, ws, float(values[top]))[1]}
        if stride == 1:
            scores = coarse

        def score(i: int) -> float:
            if i not in scores:
                scores[i] = self._ends(xs, ws, float(values[i]))[1]
            return scores[i]

        best = max(scores, key=lambda i: scores[i])
        # Between the grid's neighbours of the best, a golden-section search over the values'
        # indices, then a climb to neighbouring values while the likelihood improves.
        index = int(np.searchsorted(positions, top))
        lo = int(positions[max(index - 1, 0)])
        hi = int(positions[min(index + 1, len(positions) - 1)])
        while hi - lo > 3:
            third = (hi - lo) / 2.618
            m1, m2 = round(lo + third), round(hi - third)
            if m1 >= m2:
                break
            if score(m1) < score(m2):
                lo = m1
            else:
                hi = m2
        best = max(scores, key=lambda i: scores[i])
        for step in (-1, 1):  # climb to neighbouring values while the likelihood improves
            i = best
            while 0 <= i + step < len(values):
                j = i + step
                if score(j) <= scores[i]:
                    break
                i = j
            best = max(best, i, key=lambda k: scores[k])
        params, loglik = self._ends(xs, ws, float(values[best]))
        self._last = (x, w, params, loglik)
        return params, loglik

    # -- Family ---------------------------------------------------------------------------
    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        return dict(self.search(x, w)[0])

    def edge_params(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, Edge]:
        params = self.search(x, w)[0]
        edges = {"mode": Edge(params["mode"], _MODE_WHY)}
        for end in ("lower", "upper"):
            if params[end] == params["mode"]:
                edges[end] = Edge(params[end], f"a right-angled triangle: the {end} end meets "
                                  "the mode at the data's edge")  # fmt: skip
        return edges

    def _pieces(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, ...]:
        """Which of (lower, mode), mode itself and (mode, upper) each x is in."""
        left = tf.logical_and(tf.greater(x, p["lower"]), tf.less(x, p["mode"]))
        right = tf.logical_and(tf.greater(x, p["mode"]), tf.less(x, p["upper"]))
        at = tf.equal(x, p["mode"] * tf.ones_like(x))
        return left, at, right

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        left, at, right = self._pieces(x, p)
        lower, mode, upper = p["lower"], p["mode"], p["upper"]
        width = tf.log(upper - lower)
        rise = tf.where(left, x - lower, tf.ones_like(x))
        fall = tf.where(right, upper - x, tf.ones_like(x))
        # The unused side's log(mode - lower) is never selected; its argument is kept positive.
        left_side = tf.log(rise) - tf.log(tf.maximum(mode - lower, 1e-300))
        right_side = tf.log(fall) - tf.log(tf.maximum(upper - mode, 1e-300))
        peak = _LOG_2 - width
        value = tf.where(left, peak + left_side, tf.where(right, peak + right_side, peak))
        inside = tf.logical_or(tf.logical_or(left, right), at)
        return tf.where(inside, value * tf.ones_like(x), zero_density(x))

    def _squares(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tuple[tf.Tensor, ...]:
        """log F on the rising side and log S on the falling side (exact there), and where
        x lies: below the support, on the rising side (mode included), or above the mode."""
        lower, mode, upper = p["lower"], p["mode"], p["upper"]
        width = tf.log(upper - lower)
        below = tf.less_equal(x, lower)
        rising = tf.logical_and(tf.logical_not(below), tf.less_equal(x, mode))
        above = tf.greater_equal(x, upper)
        falling = tf.logical_and(tf.logical_not(above), tf.greater(x, mode))
        rise = tf.where(rising, x - lower, tf.ones_like(x))
        fall = tf.where(falling, upper - x, tf.ones_like(x))
        log_f = 2.0 * tf.log(rise) - width - tf.log(tf.maximum(mode - lower, 1e-300))
        log_s = 2.0 * tf.log(fall) - width - tf.log(tf.maximum(upper - mode, 1e-300))
        return below, rising, falling, above, log_f, log_s

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        below, rising, falling, _, log_f, log_s = self._squares(x, p)
        value = tf.where(rising, log_f, tf.where(falling, tf.log1p(-tf.exp(log_s)),
                                                 tf.zeros_like(log_f)))  # fmt: skip
        return tf.where(below, zero_density(value), value)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        _, rising, falling, above, log_f, log_s = self._squares(x, p)
        value = tf.where(falling, log_s, tf.where(rising, tf.log1p(-tf.exp(log_f)),
                                                  tf.zeros_like(log_s)))  # fmt: skip
        return tf.where(above, zero_density(value), value)

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.triangular(params["lower"], params["mode"], params["upper"], size=n)

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        lower, width = params["lower"], params["upper"] - params["lower"]
        return stats.triang(c=(params["mode"] - lower) / width, loc=lower, scale=width)

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, loc, scale = stats.triang.fit(x)
        return {"lower": float(loc), "mode": float(loc + c * scale), "upper": float(loc + scale)}
