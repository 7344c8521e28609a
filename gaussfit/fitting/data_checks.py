"""Checks on the numbers a fit receives, with messages that say what is wrong and where."""

from __future__ import annotations

from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import DataError

MAX_EXACT_COUNT = 2.0**53
"""Every integer up to here is a float64; a count above it may already have been rounded."""


def as_values(data: Any) -> np.ndarray:
    """A 1-D float64 array of finite values (no copy when the input already is one).

    Nothing is guessed: a table (2-D array) is refused rather than flattened, complex numbers
    rather than stripped of their imaginary part, and None or a single number rather than
    read as a one-value sample.
    """
    if data is None:
        raise DataError("no data: got None where an array of numbers was expected")
    if np.iscomplexobj(data) or any(isinstance(v, complex) for v in _head(data)):
        raise DataError("data are complex numbers: pass real numbers (e.g. the real part)")
    try:
        x = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"data cannot be read as numbers: {_short(exc)}") from None
    if x.ndim == 0:
        raise DataError(f"data must be an array of numbers, not the single value {x.item():g}")
    if x.ndim != 1:
        raise DataError(
            f"data must be one column of numbers, not an array of shape {x.shape}: pick a "
            "column (x[:, 0]) or flatten it yourself (np.ravel(x))"
        )
    if x.size == 0:
        raise DataError("no data: at least one value is needed")
    finite = np.isfinite(x)
    if not np.all(finite):
        index = int(np.argmin(finite))
        raise DataError(f"value {x[index]} (item {index + 1}) is not a finite number")
    return x


def _head(data: Any) -> list[Any]:
    """The first few items of a plain Python sequence (complex numbers hide in lists too)."""
    if isinstance(data, (list, tuple)):
        return list(data[:16])
    return []


def _short(exc: Exception, limit: int = 200) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "..."


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
    """Enough values for the free parameters, not all equal, and counts that float64 holds
    exactly (from counts and extremes, so that a pass over chunks can check it too)."""
    if n < n_free + 1:
        raise DataError(
            f"{n} value{'s' if n != 1 else ''} are too few to fit {family.name} with {n_free} "
            f"free parameter{'s' if n_free != 1 else ''}: at least {n_free + 1} are needed"
        )
    if family.discrete and max(abs(low), abs(high)) > MAX_EXACT_COUNT:
        big = high if abs(high) >= abs(low) else low
        raise DataError(
            f"count {big:.17g} is above 2**53 = {MAX_EXACT_COUNT:.0f}, beyond which a float64 "
            f"does not hold every integer: {family.name} cannot be fitted to such counts "
            "(divide them by a power of ten and fit a continuous family)"
        )
    if low == high and (not family.discrete or low == 0.0):
        raise DataError(
            f"all {n} values are equal ({low:g}): {family.name} cannot be fitted to constant data"
        )
