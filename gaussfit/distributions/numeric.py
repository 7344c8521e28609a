"""What a family that declares only its log-density still needs, derived numerically.

A family written by a user (``--logpdf`` on the command line, or a ``Family`` subclass with
only ``log_prob``) has no scipy counterpart: its density, CDF and total mass come from its own
engine graph. The density is evaluated through one graph with the parameters as placeholders;
the CDF and the total mass by Gauss-Legendre quadrature on panels of a variable that maps the
support onto a finite interval (a count's by summing its mass function). All nodes of one
quadrature are evaluated in one run of the graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

import gaussfit.engine as tf

if TYPE_CHECKING:
    from gaussfit.distributions.base import Family, Support

NODES = 16
"""Gauss-Legendre nodes per panel: exact for polynomials of degree 31 on each panel."""
GRID_PANELS = 240
"""Panels that cover the mapped support (graded towards both ends) besides the data's own."""
MAX_COUNT = 1_000_000
"""A mass function is summed over at most this many integers."""
TAIL_MASS = 1e-13
ROUNDS = 50
"""Rounds of panel splitting at most."""
TOLERANCE = 1e-10
"""Target of the splitting: the panels' errors together below this share of the total."""
MAX_PANELS = 200_000
"""A count's mass function is summed until the remaining terms fall below this."""


class DensityEvaluator:
    """log_prob of one family (or another of its graphs, e.g. ``log_cdf``) as a numpy function
    of (x, params), through one engine graph."""

    def __init__(self, family: Family, graph_of: Callable[..., tf.Tensor] | None = None) -> None:
        self.names = family.parameter_names
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.x = tf.placeholder(tf.float64, shape=[None], name="x")
            self.params = {n: tf.placeholder(tf.float64, shape=[], name=n) for n in self.names}
            self.log_prob = (graph_of or family.log_prob)(self.x, self.params)
        self.session = tf.Session(graph=self.graph)

    def __call__(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        feed = {self.x: np.asarray(x, dtype=np.float64)}
        feed.update({self.params[n]: np.float64(params[n]) for n in self.names})
        with np.errstate(all="ignore"):
            out = self.session.run(self.log_prob, feed)
        return np.broadcast_to(np.asarray(out, dtype=np.float64), np.shape(x)).copy()


def density(log_pdf: np.ndarray) -> np.ndarray:
    """exp of a log-density, with NaN (outside where the expression is defined) read as 0."""
    with np.errstate(all="ignore"):
        values = np.exp(log_pdf)
    return np.where(np.isfinite(values), values, np.where(np.isnan(values), 0.0, values))


def continuous_cdf(
    evaluate: DensityEvaluator,
    support: Support,
    params: dict[str, float],
    x: np.ndarray,
    centre: float = 0.0,
    scale: float = 1.0,
) -> tuple[np.ndarray, float]:
    """F(x) at each of ``x`` and the total mass over the support, by adaptive quadrature.

    ``centre`` and ``scale`` (the data's median and spread) say where the mapping of an
    infinite support puts most of its panels. The data's own values are panel ends, so F at
    each is a sum of whole panels. A panel whose 16-node rule disagrees with the sum over its
    halves (a peak, a kink, an integrable singularity) is split, for ``ROUNDS`` rounds.
    Values of ``x`` outside the support get 0 or the total.
    """
    x = np.asarray(x, dtype=np.float64)
    to_x, from_x = _mapping(support, centre, max(scale, 1e-300))
    inside = ~support.violations(x) if np.size(x) else np.zeros(0, dtype=bool)
    data_t = from_x(x[inside]) if np.any(inside) else np.zeros(0)
    breaks = np.union1d(_grid(), data_t[(data_t > 0.0) & (data_t < 1.0)])
    breaks = np.concatenate([[0.0], breaks[(breaks > 0.0) & (breaks < 1.0)], [1.0]])

    def rule(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return _gauss(evaluate, params, to_x, left, right)

    left, right = breaks[:-1], breaks[1:]
    whole = rule(left, right)
    for _ in range(ROUNDS):
        middle = 0.5 * (left + right)
        halves = rule(np.concatenate([left, middle]), np.concatenate([middle, right]))
        first, second = halves[: len(left)], halves[len(left) :]
        error = np.abs(whole - (first + second))
        total = float(np.sum(first + second))
        split = (error > TOLERANCE * max(abs(total), 1e-300) / len(left)) & (right - left > 1e-15)
        if not np.any(split) or len(left) > MAX_PANELS:
            whole = np.where(split, first + second, whole)
            break
        keep = ~split
        left = np.concatenate([left[keep], left[split], middle[split]])
        right = np.concatenate([right[keep], middle[split], right[split]])
        whole = np.concatenate([whole[keep], first[split], second[split]])
        order = np.argsort(left, kind="stable")
        left, right, whole = left[order], right[order], whole[order]
    cumulative = np.concatenate([[0.0], np.cumsum(whole)])
    ends = np.concatenate([left, [1.0]])
    total = float(cumulative[-1])
    out = np.zeros(np.shape(x))
    if np.any(inside):
        out[inside] = cumulative[np.searchsorted(ends, data_t)]
    above = (x >= support.upper) if support.upper < math.inf else np.zeros(np.shape(x), bool)
    out[above] = total
    return out, total


def _gauss(evaluate, params, to_x, left: np.ndarray, right: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The Gauss-Legendre value of each panel [left, right] of the mapped variable."""
    nodes, weights = np.polynomial.legendre.leggauss(NODES)
    width = right - left
    t = left[:, None] + width[:, None] * (nodes[None, :] + 1.0) / 2.0
    values, jacobian = to_x(t)
    with np.errstate(all="ignore"):
        f = density(evaluate(values.ravel(), params)).reshape(t.shape) * jacobian
    f = np.where(np.isnan(f), 0.0, f)
    return np.sum(f * weights[None, :], axis=1) * width / 2.0


def count_cdf(
    evaluate: DensityEvaluator, support: Support, params: dict[str, float], x: np.ndarray
) -> tuple[np.ndarray, float]:
    """P(X <= x) at each of ``x`` and the total mass, by summing the mass function from the
    support's lowest count until the terms are negligible (or ``MAX_COUNT`` terms)."""
    low = support.lower if math.isfinite(support.lower) else 0.0
    high_data = float(np.max(x)) if np.size(x) else low
    top = min(support.upper, low + MAX_COUNT - 1)
    masses: list[np.ndarray] = []
    start, block, total = low, 1024, 0.0
    while start <= top:
        counts = np.arange(start, min(start + block, top + 1))
        mass = density(evaluate(counts, params))
        masses.append(mass)
        total += float(np.sum(mass))
        start += block
        block *= 2
        if start > high_data and masses[-1].size and mass[-1] < TAIL_MASS * max(total, 1e-300):
            break
    cumulative = np.cumsum(np.concatenate(masses))
    index = np.clip(np.floor(np.asarray(x, dtype=np.float64)) - low, -1, len(cumulative) - 1)
    out = np.where(index >= 0, cumulative[np.maximum(index, 0).astype(np.int64)], 0.0)
    return out, float(cumulative[-1])


def _grid() -> np.ndarray:
    """Panel ends in (0, 1): uniform in the middle, geometric towards both ends, where a
    density with an integrable singularity (a Weibull shape below 1) or a long tail lives."""
    # Near 1 the panels stop at 1 - 1e-10: closer, a node's 1 - t would lose its digits.
    low = np.geomspace(1e-30, 0.05, GRID_PANELS // 3)
    high = 1.0 - np.geomspace(1e-10, 0.05, GRID_PANELS // 6)
    middle = np.linspace(0.05, 0.95, GRID_PANELS // 2)
    return np.unique(np.concatenate([low, middle, high]))


def _mapping(support: Support, centre: float, scale: float):  # type: ignore[no-untyped-def]
    """x(t) with dx/dt, and t(x), mapping (0, 1) onto the support's interior."""
    low, high = support.lower, support.upper
    if math.isfinite(low) and centre > low:
        scale = centre - low  # half the data's mass below t = 1/2
    elif math.isfinite(high) and centre < high:
        scale = high - centre
    if math.isfinite(low) and math.isfinite(high):

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return low + (high - low) * t, np.full(np.shape(t), high - low)

        return to_x, lambda x: (x - low) / (high - low)
    if math.isfinite(low):

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return low + scale * t / (1.0 - t), scale / (1.0 - t) ** 2

        return to_x, lambda x: (x - low) / (x - low + scale)
    if math.isfinite(high):

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return high - scale * (1.0 - t) / t, scale / t**2

        return to_x, lambda x: scale / (high - x + scale)

    def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = 2.0 * t - 1.0  # in (-1, 1)
        q = 4.0 * t * (1.0 - t)  # 1 - s², without the cancellation near the ends
        return centre + scale * s / q, 2.0 * scale * (1.0 + s * s) / (q * q)

    def from_x(x: np.ndarray) -> np.ndarray:
        y = (np.asarray(x, dtype=np.float64) - centre) / scale
        with np.errstate(all="ignore"):
            s = np.where(y == 0, 0.0, (np.sqrt(1.0 + 4.0 * y * y) - 1.0) / (2.0 * y))
        return (s + 1.0) / 2.0

    return to_x, from_x
