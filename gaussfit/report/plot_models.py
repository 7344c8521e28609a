"""What the plots need from a fitted model and from the data, apart from any drawing.

A :class:`Curve` is one fitted family at its estimates with the colour and legend label it keeps
in every panel. Its density, CDF and quantile function come from the family's scipy.stats
counterpart where there is one; a family without one (the normal mixture, Kumaraswamy) gets its
density and CDF from the family itself and its quantiles by inverting the CDF on a fine grid,
so every family can be drawn in all four panels.

The data side is the (weighted) empirical distribution: sorted values with plotting positions
``(c_i - w_i / 2) / W`` (``c_i`` the cumulative weight), which is ``(i - 0.5) / n`` unweighted,
the positions fitdistrplus's ``ppoints`` uses for n > 10.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from gaussfit.distributions import Family

PALETTE = (
    "#d55e00",
    "#0072b2",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#000000",
    "#f0e442",
)
"""Okabe and Ito's colour-blind-safe colours: one per family, in AIC order, in every panel."""
DATA_COLOUR = "#8c8c8c"
DATA_FILL = "#c6dbef"
MAX_POINTS = 2000
"""Q-Q and P-P panels show at most this many points (evenly spaced in rank, both extremes
kept): more only blacken the line and swell the SVG and PDF."""
_INVERSION_GRID = 4001


@dataclass(frozen=True)
class Curve:
    """One fitted family, drawn with the same ``colour`` and ``label`` in each panel."""

    family: Family
    params: dict[str, float]
    label: str
    colour: str

    def _scipy(self) -> Any:
        return self.family.scipy_dist(self.params)

    def density(self, x: np.ndarray) -> np.ndarray:
        """The density (the probability mass for a count family) at ``x``."""
        try:
            return np.exp(self.family.log_pdf_numpy(x, self.params))
        except NotImplementedError:
            return np.full(np.shape(x), np.nan)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        dist = self._scipy()
        if dist is not None:
            return np.asarray(dist.cdf(x), dtype=np.float64)
        try:
            return np.asarray(self.family.cdf(np.asarray(x, dtype=np.float64), self.params))
        except NotImplementedError:
            return np.full(np.shape(x), np.nan)

    def quantile(self, p: np.ndarray, around: np.ndarray) -> np.ndarray:
        """The fitted p-quantiles; without scipy, the CDF inverted on a grid spanning
        ``around`` (the data) widened on both sides, NaN outside that grid's reach."""
        dist = self._scipy()
        if dist is not None:
            return np.asarray(dist.ppf(p), dtype=np.float64)
        low, high = float(np.min(around)), float(np.max(around))
        pad = high - low or 1.0
        grid = np.linspace(low - pad, high + pad, _INVERSION_GRID)
        grid = grid[~self.family.support.violations(grid)]
        levels = np.maximum.accumulate(self.cdf(grid))
        if not np.all(np.isfinite(levels)):
            return np.full(np.shape(p), np.nan)
        inside = (p >= levels[0]) & (p <= levels[-1])
        return np.where(inside, np.interp(p, levels, grid), np.nan)


@dataclass(frozen=True)
class Empirical:
    """The data's empirical distribution: sorted distinct values, their total weights, the
    CDF just after each, and the plotting position of each."""

    values: np.ndarray
    weights: np.ndarray
    cdf: np.ndarray
    positions: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, w: np.ndarray | None) -> Empirical:
        values, inverse = np.unique(np.asarray(x, dtype=np.float64), return_inverse=True)
        weight = np.ones(len(x)) if w is None else np.asarray(w, dtype=np.float64)
        totals = np.bincount(np.ravel(inverse), weights=weight, minlength=len(values))
        cumulative = np.cumsum(totals)
        total = cumulative[-1]
        return cls(values, totals, cumulative / total, (cumulative - totals / 2) / total)

    def rank_points(self) -> tuple[np.ndarray, np.ndarray]:
        """(values, positions) with ties spread over their ranks: one point per observation
        unweighted (as fitdistrplus draws), one per distinct value when weighted; thinned to
        ``MAX_POINTS``."""
        if np.allclose(self.weights, np.round(self.weights)) and np.sum(self.weights) <= 10**6:
            counts = np.round(self.weights).astype(np.int64)
            values = np.repeat(self.values, counts)
            n = len(values)
            positions = (np.arange(1, n + 1) - 0.5) / n
        else:
            values, positions = self.values, self.positions
        if len(values) > MAX_POINTS:
            keep = np.unique(np.round(np.linspace(0, len(values) - 1, MAX_POINTS)).astype(int))
            values, positions = values[keep], positions[keep]
        return values, positions


def family_curves(
    fits: list[tuple[Family, dict[str, float], str]],
) -> list[Curve]:
    """Curves in the order given (best first), each with the next colour of the palette."""
    return [
        Curve(family, params, label, PALETTE[i % len(PALETTE)])
        for i, (family, params, label) in enumerate(fits)
    ]
