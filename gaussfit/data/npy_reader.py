"""Read a NumPy ``.npy`` file: a 1-D array of values, or a 2-D table whose columns are indexed.

Simulations and notebooks often save samples with `numpy.save`; reading those directly avoids a
lossy trip through text. Pickled (object) arrays are refused, because loading them runs code.
"""

from __future__ import annotations

import numpy as np

from gaussfit.data.columnar import ColumnData, build_dataset
from gaussfit.data.columns import ColumnChoice, first_column, resolve_column
from gaussfit.data.dataset import Dataset
from gaussfit.data.text_source import check_readable_file
from gaussfit.errors import DataError


def read_npy(path: str, column: ColumnChoice, weights: ColumnChoice, drop_missing: bool) -> Dataset:
    """Load column `column` (default 0) and optionally `weights` of the array in `path`."""
    check_readable_file(path)
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise DataError(f"{path}: not a valid .npy file ({exc})") from None
    if not isinstance(array, np.ndarray):
        raise DataError(f"{path}: not a .npy file (it holds several arrays; save just one)")
    if array.dtype.kind not in "iuf":
        raise DataError(f"{path}: the array holds {array.dtype} values, not real numbers")
    if np.ndim(array) not in (1, 2):
        raise DataError(f"{path}: expected a 1-D or 2-D array, got shape {np.shape(array)}")
    table = np.reshape(array, (-1, 1)) if np.ndim(array) == 1 else array
    count = np.shape(table)[1]
    weight_column = None
    if weights is not None:
        if np.ndim(array) == 1:
            raise DataError(f"{path}: weights need a 2-D array with a weights column")
        weight_column = resolve_column(weights, None, count, path, "weights column")
    if column is None:
        skip = weight_column.index if weight_column is not None else None
        value_column = first_column(count, None, lambda _: True, path, skip)
    else:
        value_column = resolve_column(column, None, count, path)
    if value_column == weight_column:
        raise DataError(f"{path}: the weights column is the value {value_column.describe()}")

    def numbers(index: int) -> np.ndarray:
        return np.ascontiguousarray(table[:, index], dtype=np.float64)

    value = ColumnData(value_column, numbers(value_column.index))
    weight = None
    if weight_column is not None:
        weight = ColumnData(weight_column, numbers(weight_column.index))
    return build_dataset(path, value, weight, drop_missing)
