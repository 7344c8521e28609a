"""Robust pieces of data-driven starting points, shared by several families.

Starting points only need to land in the basin of the MLE, so they favour quantiles (which an
outlier cannot drag) and never fail: a spread that comes out zero or non-finite (all values
equal) falls back to the next candidate, and finally to 1.
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.distributions.weighted import weighted_mean, weighted_quantile


def median(x: np.ndarray, w: np.ndarray | None) -> float:
    return weighted_quantile(x, w, 0.5)


def median_abs_deviation(x: np.ndarray, w: np.ndarray | None, centre: float) -> float:
    return weighted_quantile(np.abs(np.subtract(x, centre)), w, 0.5)


def interquartile_range(x: np.ndarray, w: np.ndarray | None) -> float:
    return weighted_quantile(x, w, 0.75) - weighted_quantile(x, w, 0.25)


def positive(*candidates: float) -> float:
    """The first candidate that is positive and finite, else 1 (a scale of one unit)."""
    for value in candidates:
        if math.isfinite(value) and value > 0:
            return float(value)
    return 1.0


def log_mean_exp(a: np.ndarray, w: np.ndarray | None) -> float:
    """log of the weighted mean of exp(a), shifted by max(a) so that nothing overflows."""
    top = float(np.max(a))
    return top + math.log(weighted_mean(np.exp(np.subtract(a, top)), w))
