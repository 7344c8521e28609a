"""Checks on the numbers a fit receives, with messages that say what is wrong and where."""

from __future__ import annotations

from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import DataError


def as_values(data: Any) -> np.ndarray:
    """A 1-D float64 array of finite values (no copy when the input already is one)."""
    try:
        x = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"data cannot be read as numbers: {exc}") from None
    if x.ndim != 1:
        x = np.ravel(x)
    if x.size == 0:
        raise DataError("no data: at least one value is needed")
    finite = np.isfinite(x)
    if not np.all(finite):
        index = int(np.argmin(finite))
        raise DataError(f"value {x[index]} (item {index + 1}) is not a finite number")
    return x


def as_weights(weights: Any, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.shape != (n,):
        raise DataError(f"weights: {w.size} weights for {n} values")
    bad = ~np.isfinite(w) | (w < 0)
    if np.any(bad):
        index = int(np.argmax(bad))
        raise DataError(f"weights: weight {w[index]} (item {index + 1}) must be finite and >= 0")
    if not np.sum(w) > 0:
        raise DataError("weights: all weights are zero")
    return w


def check_fit_data(family: Family, x: np.ndarray, n_free: int) -> None:
    """Support, sample size and spread: what a fit of ``family`` needs of the data."""
    family.check_data(x)
    check_size_and_spread(family, int(np.size(x)), float(np.min(x)), float(np.max(x)), n_free)


def check_size_and_spread(family: Family, n: int, low: float, high: float, n_free: int) -> None:
    """Enough values for the free parameters, and not all equal (from counts and extremes, so
    that a pass over chunks can check it too)."""
    if n < n_free + 1:
        raise DataError(
            f"{n} value{'s' if n != 1 else ''} are too few to fit {family.name} with {n_free} "
            f"free parameter{'s' if n_free != 1 else ''}: at least {n_free + 1} are needed"
        )
    if low == high and (not family.discrete or low == 0.0):
        raise DataError(
            f"all {n} values are equal ({low:g}): {family.name} cannot be fitted to constant data"
        )
