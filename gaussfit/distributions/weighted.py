"""Weighted moments computed the careful way (two passes, pairwise sums).

Families use these for starting points, closed forms and sufficient statistics; a missing weight
vector means every observation counts once.
"""

from __future__ import annotations

import numpy as np


def weighted_sum(values: np.ndarray, w: np.ndarray | None) -> float:
    return float(np.sum(values) if w is None else np.sum(np.multiply(w, values)))


def total_weight(x: np.ndarray, w: np.ndarray | None) -> float:
    return float(np.size(x) if w is None else np.sum(w))


def count_sum_and_log_sum(x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
    """n, the sum of x and the sum of log x (weighted): the sufficient statistics of every
    family whose log-density is linear in x and log x (the gamma, the log-series)."""
    return {
        "n": total_weight(x, w),
        "sum_x": weighted_sum(x, w),
        "sum_log_x": weighted_sum(np.log(x), w),
    }


def weighted_mean(values: np.ndarray, w: np.ndarray | None) -> float:
    return weighted_sum(values, w) / total_weight(values, w)


def weighted_mean_var(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float]:
    """Mean and (MLE, divide-by-n) variance; the variance is of deviations from the mean."""
    mean = weighted_mean(x, w)
    deviations = np.subtract(x, mean)
    var = weighted_mean(np.square(deviations), w)
    # One correction pass removes the rounding left in the mean (Neely's correction).
    correction = weighted_mean(deviations, w)
    return mean + correction, max(var - correction * correction, 0.0)


def weighted_quantile(x: np.ndarray, w: np.ndarray | None, q: float) -> float:
    """The q-quantile; with weights, of the weighted empirical distribution."""
    if w is None:
        return float(np.quantile(x, q))
    order = np.argsort(x)
    cumulative = np.cumsum(w[order])
    index = int(np.searchsorted(cumulative, q * cumulative[-1]))
    return float(x[order][min(index, len(x) - 1)])


def row_mean_var(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's mean and (divide-by-n) variance, for all rows of a B x n block at once: the
    two passes and the correction of ``weighted_mean_var``, along the last axis."""
    mean = np.mean(block, axis=-1)
    deviations = np.subtract(block, mean[..., None])
    var = np.mean(np.square(deviations), axis=-1)
    correction = np.mean(deviations, axis=-1)
    return mean + correction, np.maximum(var - correction * correction, 0.0)
