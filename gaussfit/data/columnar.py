"""Checks shared by the array formats (.npy, Parquet), whose places are row indices, not lines.

These formats already store numbers, so the only cell problems left are missing entries (Parquet
nulls) and NaN or infinity; they are found with whole-array operations rather than per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaussfit.data.columns import Column
from gaussfit.data.dataset import Dataset
from gaussfit.errors import DataError


@dataclass(frozen=True)
class ColumnData:
    """One column read from an array format: float64 numbers plus a mask of missing entries."""

    column: Column
    numbers: np.ndarray
    missing: np.ndarray | None = None


def build_dataset(
    source: str, value: ColumnData, weight: ColumnData | None, drop_missing: bool
) -> Dataset:
    """Check the columns, drop or reject unusable rows, and wrap them as a `Dataset`.

    Messages name the first bad row by its 0-based index, the way numpy and pandas show it. A
    negative weight is an error even with `drop_missing`: it is wrong, not missing.
    """
    present = [item for item in (value, weight) if item is not None]
    usable = np.logical_and.reduce([_usable(item) for item in present])
    negative = np.zeros_like(usable) if weight is None else np.less(weight.numbers, 0)
    bad = negative if drop_missing else np.logical_or(negative, np.logical_not(usable))
    if np.any(bad):
        row = int(np.argmax(bad))
        if negative[row]:
            assert weight is not None
            where, why = weight.column, f"negative weight {float(weight.numbers[row])!r}"
        else:
            culprit = next(item for item in present if not _usable(item)[row])
            where, why = culprit.column, _why(culprit, row)
        raise DataError(f"{source}: row index {row}: {where.describe()}: {why}")
    dropped = int(np.size(usable) - np.count_nonzero(usable))
    values = value.numbers if dropped == 0 else value.numbers[usable]
    weights = None
    if weight is not None:
        weights = weight.numbers if dropped == 0 else weight.numbers[usable]
    rows = np.flatnonzero(usable) if dropped else None
    described = value.column.describe()

    def locate(index: int) -> str:
        return f"{source}: row index {int(rows[index]) if rows is not None else index}: {described}"

    return Dataset(
        values=values,
        weights=weights,
        source=source,
        column=value.column.label,
        dropped=dropped,
        locate=locate,
    )


def _usable(item: ColumnData) -> np.ndarray:
    finite = np.isfinite(item.numbers)
    return finite if item.missing is None else np.logical_and(finite, np.logical_not(item.missing))


def _why(item: ColumnData, row: int) -> str:
    if item.missing is not None and item.missing[row]:
        return "empty cell (null)"
    return f"not a finite number ({float(item.numbers[row])!r})"
