"""The one shape every loader hands to the fitting layer.

Whatever the file format, fitting code sees a `Dataset` whose arrays are already clean, so it can
skip re-validating and every error about the *data* (rather than a family's support) is raised here,
where the file, line and column are still known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gaussfit.errors import DataError


@dataclass(frozen=True, eq=False)
class Dataset:
    """Observations read from one column of one source, with optional per-row weights.

    `values` is 1-D, float64, C-contiguous and finite; `weights` (when given) has the same length,
    is finite and non-negative and not all zero. `source` is the path as the user gave it (or
    ``"<stdin>"``), `column` the header name or a ``"column 1 (no header)"`` label, and `dropped`
    how many rows `drop_missing` skipped. `locate` names where value ``i`` came from
    (``"data.csv:7: column 'x'"``), for errors found after loading; `notes` say what the reader
    decided on the user's behalf (a row-index column it passed over). Construction re-checks the
    invariants so a Dataset built by hand (in a test or from generated data) is held to the same
    contract as one that was loaded. ``eq=False`` because element-wise array comparison has no
    single truth value.
    """

    values: np.ndarray
    weights: np.ndarray | None
    source: str
    column: str
    dropped: int = 0
    locate: Callable[[int], str] | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        values = _clean_vector(self.values, self.source, "values")
        if values.shape[0] == 0:
            if self.dropped:
                raise DataError(
                    f"{self.source}: no data rows left after dropping {self.dropped} "
                    "row(s) with missing values"
                )
            raise DataError(f"{self.source}: no data rows")
        object.__setattr__(self, "values", values)
        if self.weights is not None:
            weights = _clean_vector(self.weights, self.source, "weights")
            if weights.shape != values.shape:
                raise DataError(
                    f"{self.source}: {weights.shape[0]} weights for {values.shape[0]} values"
                )
            if np.any(weights < 0):
                raise DataError(f"{self.source}: weights must not be negative")
            if not np.any(weights > 0):
                raise DataError(f"{self.source}: all weights are zero")
            object.__setattr__(self, "weights", weights)
        if self.dropped < 0:
            raise ValueError(f"dropped must be >= 0, got {self.dropped}")


def _clean_vector(array: object, source: str, what: str) -> np.ndarray:
    """Return `array` as contiguous 1-D float64 (no copy when it already is one)."""
    try:
        vector = np.ascontiguousarray(array, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{source}: {what} are not numbers ({exc})") from None
    if vector.ndim != 1:
        raise DataError(f"{source}: {what} must be 1-D, got shape {vector.shape}")
    if not np.all(np.isfinite(vector)):
        raise DataError(f"{source}: {what} contain NaN or infinite numbers")
    return vector
